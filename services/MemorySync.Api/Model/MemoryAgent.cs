namespace LettaPlatform.MemorySync.Api.Model;

/// <summary>
/// What memory-sync knows of a platform agent: its owner and where it lives in Letta. Filled from
/// agent-management's events (or a <c>ResolveAgent</c> answer), never from agent-management's database.
/// </summary>
public sealed class MemoryAgent
{
    public required Guid Id { get; init; }
    public required string UserId { get; set; }
    public required string LettaInstance { get; set; }
    public required string LettaAgentId { get; set; }
    public string? TemplateId { get; set; }
    public DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>
    /// For an agent of a project: the project whose shared blocks (its <c>project_context</c>) the agent holds; they are
    /// the blocks of the project's own row (<see cref="IsProject"/>), versioned once for all its agents.
    /// </summary>
    public Guid? ProjectId { get; set; }

    /// <summary>
    /// This row is not an agent but a project (<see cref="Id"/> = the project's id): it owns the blocks the project's agents
    /// share. It has no Letta agent (<see cref="LettaAgentId"/> is empty); its blocks carry their Letta block id. The
    /// agent routes, snapshots, reconcile and analytics never list it.
    /// </summary>
    public bool IsProject { get; init; }

    public List<MemoryBlock> Blocks { get; init; } = [];
}
