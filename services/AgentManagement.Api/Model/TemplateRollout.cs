namespace LettaPlatform.AgentManagement.Api.Model;

/// <summary>Moving a template's agents to <see cref="Version"/>: a canary share first, then (on promote) all of them.</summary>
public sealed class TemplateRollout
{
    public required Guid Id { get; init; }

    public required string TemplateId { get; init; }

    public required int Version { get; init; }

    public required int CanaryPercent { get; init; }

    /// <summary>The template's active version before the rollout; a rollback restores it.</summary>
    public required int PreviousActiveVersion { get; init; }

    public required RolloutStatus Status { get; set; }

    public required string StartedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<RolloutItem> Items { get; init; } = [];
}

public enum RolloutStatus
{
    /// <summary>The canary agents are being (or have been) updated; the rest wait for promote.</summary>
    Canary,
    Promoting,
    Completed,
    RollingBack,
    RolledBack,
}

/// <summary>One agent's part in a rollout.</summary>
public sealed class RolloutItem
{
    public required Guid RolloutId { get; init; }

    public required Guid AgentId { get; init; }

    /// <summary>The version the agent had when the rollout reached it; a rollback returns it there.</summary>
    public required int PreviousVersion { get; init; }

    public required bool Canary { get; init; }

    public required RolloutItemState State { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum RolloutItemState
{
    Pending,
    Applied,
    Failed,
    RolledBack,
    RollbackFailed,

    /// <summary>The agent was deleted before the rollout reached it.</summary>
    Skipped,
}
