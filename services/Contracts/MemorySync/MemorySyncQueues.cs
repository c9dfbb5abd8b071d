namespace LettaPlatform.Contracts.MemorySync;

/// <summary>
/// The queues memory-sync receives point-to-point messages on. A queue a message is sent to is part of its
/// contract as much as its type: sender and receiver both use this name (behind their host's queue prefix).
/// </summary>
public static class MemorySyncQueues
{
    /// <summary><see cref="ReadAgentMemory"/>, answered with <see cref="AgentMemoryRead"/>.</summary>
    public const string ReadAgentMemory = "read-agent-memory";
}
