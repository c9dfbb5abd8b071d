namespace LettaPlatform.AgentManagement.Api.Model;

/// <summary>
/// A snapshot taken by archiving an agent: its Letta Agent File (blocks, messages, tools, settings) and every
/// version of its blocks memory-sync kept, with what deleting the Letta agent freed. Kept after a restore, as history.
/// </summary>
public sealed class AgentArchive
{
    public required Guid Id { get; init; }

    public required Guid AgentId { get; init; }

    /// <summary>Where the agent lived when it was snapshotted.</summary>
    public required string LettaInstance { get; init; }

    public required string LettaAgentId { get; init; }

    /// <summary>The Agent File, as Letta exported it.</summary>
    public required string AgentFile { get; init; }

    /// <summary>memory-sync's answer (latest blocks and every version) as JSON; <c>null</c> blocks when memory-sync did not know the agent yet.</summary>
    public required string Memory { get; init; }

    public required long AgentFileBytes { get; init; }

    public required int MessageCount { get; init; }

    public required int BlockCount { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the Agent File was imported as a check copy and its blocks read back equal.</summary>
    public required DateTimeOffset VerifiedAt { get; init; }

    public DateTimeOffset? RestoredAt { get; set; }
}
