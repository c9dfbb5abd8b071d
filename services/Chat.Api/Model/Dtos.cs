using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;

namespace LettaPlatform.Chat.Api.Model;

/// <summary>A chat with an existing agent (<c>agentId</c>) or with the caller's agent of a template (<c>templateId</c>).</summary>
/// <param name="ProjectId">With <see cref="TemplateId"/>: the person's agent of that template in this project (one of theirs,
/// <c>GET /api/projects</c>), whose agents share the project's <c>project_context</c> block.</param>
public sealed record CreateSessionRequest(
    Guid? AgentId,
    [property: StringLength(100)] string? TemplateId,
    [property: StringLength(ChatLimits.MaxTitleLength)] string? Title,
    Guid? ProjectId = null) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if ((AgentId is null) == string.IsNullOrWhiteSpace(TemplateId))
        {
            yield return new ValidationResult("Give exactly one of agentId and templateId.", [nameof(AgentId)]);
        }

        if (ProjectId is not null && AgentId is not null)
        {
            yield return new ValidationResult("projectId goes with templateId; an agentId already names the agent (and its project).", [nameof(ProjectId)]);
        }
    }
}

public sealed record UpdateSessionRequest([property: Required, StringLength(ChatLimits.MaxTitleLength)] string? Title);

public sealed record SessionResponse(
    Guid Id,
    Guid AgentId,
    string TemplateId,
    string? Title,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    PendingApprovalResponse? PendingApproval,
    HandOffResponse? HandOff = null);

/// <summary>
/// A hand-off's session: the session whose agent asked (<see cref="ParentSessionId"/>) with its <c>ask_agent</c> call
/// (<see cref="ParentToolCallId"/>, the tool card it is shown under), the chain and the depth (1: the person's own agent asked).
/// </summary>
public sealed record HandOffResponse(Guid ParentSessionId, string ParentToolCallId, Guid ChainId, int Depth, string? Request);

/// <summary>A call waiting for the person's answer; <see cref="Preview"/> is what its approval card shows besides the arguments (the diff of a proposed change), when its tool has one.</summary>
public sealed record PendingApprovalResponse(string ToolCallId, string Name, string Arguments, DateTimeOffset CreatedAt, Tools.ApprovalPreview? Preview, Guid? HandOffSessionId = null);

public sealed record ToolCallResponse(string ToolCallId, string Name, string? Arguments, string? Status, string Result);

public sealed record MessageResponse(Guid Id, string Role, string Content, ToolCallResponse? ToolCall, DateTimeOffset CreatedAt);

public sealed record SendMessageRequest([property: Required, StringLength(ChatLimits.MaxContentLength)] string? Content);

public sealed record ApprovalRequest(
    [property: Required, StringLength(200)] string? ToolCallId,
    [property: Required] bool? Approve,
    [property: StringLength(2000)] string? Reason);

/// <summary>The sizes the API accepts (declared on the request records, checked before a handler runs).</summary>
public static class ChatLimits
{
    public const int MaxTitleLength = 200;
    public const int MaxContentLength = 32_000;
}

/// <summary>The JSON answer of a turn: how it ended, and every event it produced (each with its id).</summary>
public sealed record TurnResponse(Guid TurnId, string Status, IReadOnlyList<JsonObject> Events);

/// <summary>The answer to a cancel: whether a running turn was asked to stop (false when none was running).</summary>
public sealed record CancelTurnResponse(bool CancelRequested);
