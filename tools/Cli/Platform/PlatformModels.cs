namespace LettaPlatform.Cli.Platform;

// The admin API's JSON (agent-management-api, through the gateway), as far as the CLI reads it.

public sealed record TemplateSummary(string Id, int Version, int LatestVersion, string Name);

public sealed record TemplateVersion(
    string TemplateId,
    int Version,
    string Name,
    string Description,
    string SystemPrompt,
    IReadOnlyList<TemplateVersionBlock> Blocks,
    IReadOnlyList<TemplateVersionTool> Tools,
    IReadOnlyList<string> Tags);

public sealed record TemplateVersionBlock(string Label, string Value, int Limit, string Description);

public sealed record TemplateVersionTool(string Name, bool RequiresApproval);

public sealed record Rollout(
    Guid Id,
    string TemplateId,
    int Version,
    int PreviousActiveVersion,
    int CanaryPercent,
    string Status,
    RolloutProgress Progress,
    IReadOnlyList<RolloutAgent> Agents)
{
    public const string Canary = "canary";
    public const string Promoting = "promoting";
    public const string Completed = "completed";
    public const string RollingBack = "rolling_back";
    public const string RolledBack = "rolled_back";
}

public sealed record RolloutProgress(int Total, int Canary, int Pending, int Applied, int Failed, int RolledBack, int RollbackFailed, int Skipped);

public sealed record RolloutAgent(Guid AgentId, bool Canary, int PreviousVersion, string State, string? Error);

public sealed record Agent(Guid Id, string TemplateId, int TemplateVersion, string LettaInstance, string Status);
