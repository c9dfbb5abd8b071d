namespace LettaPlatform.AgentManagement.Api.Model;

public sealed record TemplateSummary(
    string Id,
    int Version,
    int LatestVersion,
    string Name,
    string Description,
    IReadOnlyList<string> Tools,
    IReadOnlyList<string> Blocks,
    IReadOnlyList<TemplateTool> ToolPolicies,
    IReadOnlyList<string> Tags);

public sealed record TemplateVersionDetails(
    string TemplateId,
    int Version,
    string Name,
    string Description,
    string SystemPrompt,
    IReadOnlyList<TemplateBlock> Blocks,
    IReadOnlyList<TemplateTool> Tools,
    IReadOnlyList<string> Tags,
    DateTimeOffset PublishedAt,
    string PublishedBy);

public sealed record PublishTemplateVersionRequest(
    string? Name,
    string? Description,
    string? SystemPrompt,
    IReadOnlyList<TemplateBlockRequest>? Blocks,
    IReadOnlyList<TemplateToolRequest>? Tools,
    IReadOnlyList<string>? Tags);

public sealed record TemplateBlockRequest(string? Label, string? Value, int? Limit, string? Description);

public sealed record TemplateToolRequest(string? Name, bool RequiresApproval);

public sealed record CreateAgentRequest(string? TemplateId, string? ProjectId);

public sealed record MoveAgentRequest(string? TargetInstance);

public sealed record AgentResponse(
    Guid Id,
    string TemplateId,
    int TemplateVersion,
    string? ProjectId,
    string? LettaAgentId,
    string LettaInstance,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static AgentResponse From(AgentConfig agent) => new(
        agent.Id,
        agent.TemplateId,
        agent.TemplateVersion,
        agent.ProjectId,
        agent.LettaAgentId,
        agent.LettaInstance,
        agent.Status.ToString().ToLowerInvariant(),
        agent.CreatedAt,
        agent.UpdatedAt);
}

public sealed record StartRolloutRequest(int? Version, int? CanaryPercent);

public sealed record RolloutResponse(
    Guid Id,
    string TemplateId,
    int Version,
    int PreviousActiveVersion,
    int CanaryPercent,
    string Status,
    string StartedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    RolloutProgress Progress,
    IReadOnlyList<RolloutAgentState> Agents);

public sealed record RolloutProgress(int Total, int Canary, int Pending, int Applied, int Failed, int RolledBack, int RollbackFailed, int Skipped);

public sealed record RolloutAgentState(Guid AgentId, bool Canary, int PreviousVersion, string State, string? Error, DateTimeOffset UpdatedAt);
