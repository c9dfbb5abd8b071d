namespace LettaPlatform.Contracts.MemorySync;

public record MemoryBlockChanged
{
    public required Guid AgentId { get; init; }
    public required string UserId { get; init; }
    public required string Label { get; init; }
    public required int Version { get; init; }

    /// <summary><c>user</c>, <c>agent</c> or <c>system</c>.</summary>
    public required string Author { get; init; }

    /// <summary><c>synced</c>, <c>pending</c> or <c>conflict</c>.</summary>
    public required string SyncState { get; init; }
    public Guid? SessionId { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}

/// <summary>
/// Asks memory-sync for an agent's current memory, the latest version of every block. agent-management sends
/// it before it re-creates an agent that Letta lost, so the new agent starts with the person's memory, not
/// its template's.
/// </summary>
public record ReadAgentMemory
{
    public required Guid AgentId { get; init; }
    public required string UserId { get; init; }

    /// <summary>Also answer every stored version of every block (<see cref="AgentMemoryRead.History"/>), as archiving an agent needs.</summary>
    public bool IncludeHistory { get; init; }
}

/// <summary>Answer to <see cref="ReadAgentMemory"/>.</summary>
public record AgentMemoryRead
{
    public required Guid AgentId { get; init; }

    /// <summary>False when memory-sync has no memory of this agent (not registered yet, deleted, or another user's): <see cref="Blocks"/> is empty.</summary>
    public required bool Known { get; init; }
    public required IReadOnlyList<AgentMemoryBlock> Blocks { get; init; }

    /// <summary>Every stored version of every block, by label then version; empty unless <see cref="ReadAgentMemory.IncludeHistory"/>.</summary>
    public IReadOnlyList<AgentMemoryBlockVersion> History { get; init; } = [];
}

/// <summary>One stored version of a block.</summary>
public record AgentMemoryBlockVersion
{
    public required string Label { get; init; }
    public required int Version { get; init; }
    public required string Value { get; init; }
    public required string Author { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The latest version of one block.</summary>
public record AgentMemoryBlock
{
    public required string Label { get; init; }
    public required string Value { get; init; }
    public required int Limit { get; init; }
    public required int Version { get; init; }
}
