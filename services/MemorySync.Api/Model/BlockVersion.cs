namespace LettaPlatform.MemorySync.Api.Model;

/// <summary>One immutable version of a block: who wrote it, why, and (for the agent) in which session, run and tool call.</summary>
public sealed class BlockVersion
{
    public required Guid Id { get; init; }
    public required Guid BlockId { get; init; }
    public required Guid AgentId { get; init; }
    public required string Label { get; init; }
    public required int Version { get; init; }
    public required string Value { get; init; }
    public required string Author { get; init; }

    /// <summary>
    /// For a version of a project's shared block: the agent whose turn made it (author <c>agent</c>) or through whose
    /// memory routes the person made it (author <c>user</c>); null when made through the project's own routes.
    /// </summary>
    public Guid? ActorAgentId { get; init; }

    /// <summary><c>provisioned</c>, <c>edit</c>, <c>turn</c>, <c>reconcile</c>, <c>rollback</c>, <c>resolve</c>, <c>restore</c>, …</summary>
    public required string Reason { get; init; }
    public Guid? SessionId { get; init; }
    public string? RunId { get; init; }
    public string? ToolCallId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Where an agent's edit came from; <paramref name="TurnStartedAt"/>: when the turn that made it began, when known.</summary>
public sealed record Provenance(Guid? SessionId, string? RunId, string? ToolCallId, DateTimeOffset? TurnStartedAt = null);
