using System.Text.Json.Nodes;

namespace LettaPlatform.Chat.Api.Model;

public sealed record CreateSessionRequest(Guid? AgentId, string? TemplateId, string? Title);

public sealed record UpdateSessionRequest(string? Title);

public sealed record SessionResponse(
    Guid Id,
    Guid AgentId,
    string TemplateId,
    string? Title,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    PendingApprovalResponse? PendingApproval);

public sealed record PendingApprovalResponse(string ToolCallId, string Name, string Arguments, DateTimeOffset CreatedAt);

public sealed record ToolCallResponse(string ToolCallId, string Name, string? Arguments, string? Status, string Result);

public sealed record MessageResponse(Guid Id, string Role, string Content, ToolCallResponse? ToolCall, DateTimeOffset CreatedAt);

public sealed record SendMessageRequest(string? Content);

public sealed record ApprovalRequest(string? ToolCallId, bool? Approve, string? Reason);

/// <summary>The JSON answer of a turn: how it ended, and every event it produced (each with its id).</summary>
public sealed record TurnResponse(Guid TurnId, string Status, IReadOnlyList<JsonObject> Events);
