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
