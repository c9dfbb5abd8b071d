namespace LettaPlatform.AgentManagement.Client;

/// <summary>
/// agent-management answered a re-resolve after Letta lost the agent, but could not reach Letta to re-create it
/// (<see cref="Contracts.AgentManagement.AgentRuntimeUnavailable"/>): nothing changed; try again shortly. Nothing was cached.
/// </summary>
public sealed class AgentRuntimeUnavailableException(string reason)
    : Exception($"The agent's Letta runtime cannot be reached to restore it ({reason}).")
{
    public string Reason { get; } = reason;
}
