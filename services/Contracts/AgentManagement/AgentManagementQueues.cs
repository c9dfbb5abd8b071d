namespace LettaPlatform.Contracts.AgentManagement;

/// <summary>
/// The queues agent-management receives point-to-point messages on. A queue a message is sent to is part
/// of its contract as much as its type: sender and receiver both use this name (behind their host's queue prefix).
/// </summary>
public static class AgentManagementQueues
{
    /// <summary><see cref="ResolveAgent"/>, answered with <see cref="AgentResolved"/> or <see cref="AgentNotFound"/>.</summary>
    public const string ResolveAgent = "resolve-agent";
}
