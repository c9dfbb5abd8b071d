namespace LettaPlatform.AgentManagement.Api.Model;

/// <summary>
/// A person's agent: one per (user, template, project). The row is claimed first (status
/// <see cref="AgentStatus.Provisioning"/>) and only its claimer creates the Letta agent.
/// </summary>
public sealed class AgentConfig
{
    public required Guid Id { get; init; }

    public required string UserId { get; init; }

    public required string TemplateId { get; init; }

    public string? ProjectId { get; init; }

    /// <summary>
    /// The Letta id of the project's shared <c>project_context</c> block this agent holds, when <see cref="ProjectId"/> is one
    /// of the person's <see cref="Project"/>s; null otherwise (the agent has its own <c>project_context</c>).
    /// </summary>
    public string? ProjectBlockId { get; set; }

    public required int TemplateVersion { get; set; }

    public required string LettaInstance { get; set; }

    public string? LettaAgentId { get; set; }

    public required AgentStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the current claim started; a claim older than the provisioning lease may be taken over.</summary>
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>When the agent was last used (resolved for a turn or a turn completed); archiving picks agents idle for longer than the option says.</summary>
    public DateTimeOffset LastActiveAt { get; set; }

    /// <summary>The step an archiving (status <see cref="AgentStatus.Archiving"/>) has reached; null otherwise.</summary>
    public ArchiveStep? ArchiveStep { get; set; }

    /// <summary>When the agent was deleted from Letta by archiving; null unless <see cref="AgentStatus.Archived"/> or <see cref="AgentStatus.Restoring"/>.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>PostgreSQL's xmin: concurrent writers of the same row conflict instead of overwriting each other.</summary>
    public uint RowVersion { get; set; }
}

public enum AgentStatus
{
    Provisioning,
    Active,

    /// <summary>Being snapshotted and deleted from Letta; <see cref="AgentConfig.ArchiveStep"/> says how far it got.</summary>
    Archiving,

    /// <summary>Not in Letta; its verified snapshot (<see cref="AgentArchive"/>) and memory-sync's versions hold it until it is used again.</summary>
    Archived,

    /// <summary>Being re-created in Letta from its snapshot.</summary>
    Restoring,
}

/// <summary>
/// Archiving's persisted steps, each committed before the next starts, so a crash at any step resumes there.
/// Nothing in Letta is deleted before the snapshot is stored and proved restorable (<see cref="Verified"/>).
/// </summary>
public enum ArchiveStep
{
    /// <summary>Exporting the Agent File and memory-sync's block versions, and proving the file restorable.</summary>
    Snapshotting,

    /// <summary>A verified snapshot is stored; the Letta agent is still there.</summary>
    Verified,

    /// <summary>The Letta agent is being deleted (it may already be gone); the only way on is to finish.</summary>
    Deleting,
}
