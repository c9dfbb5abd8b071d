namespace LettaPlatform.MemorySync.Api.Model;

public sealed class Snapshot
{
    public required Guid Id { get; init; }
    public required Guid AgentId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>manual</c> or <c>scheduled</c>.</summary>
    public required string Trigger { get; init; }

    /// <summary>Letta's Agent File export, when the backend offered one.</summary>
    public string? AgentFile { get; init; }
    public List<SnapshotBlock> Blocks { get; init; } = [];
}

public sealed class SnapshotBlock
{
    public required Guid SnapshotId { get; init; }
    public required string Label { get; init; }
    public required string Value { get; init; }
    public required int Version { get; init; }
    public required int Limit { get; init; }
}
