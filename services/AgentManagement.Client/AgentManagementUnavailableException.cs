namespace LettaPlatform.AgentManagement.Client;

/// <summary>agent-management did not answer <c>ResolveAgent</c>: no answer in time, a fault, or no broker. Nothing was cached.</summary>
public sealed class AgentManagementUnavailableException(Exception inner)
    : Exception("agent-management did not answer ResolveAgent.", inner);
