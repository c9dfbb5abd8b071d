using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace LettaPlatform.ToolExecution.Api.Guard;

/// <summary>
/// Which tools an agent's template allows, and with what approval policy, as agent-management (the
/// owner) says: a <c>ResolveAgent</c> request over the bus, its answer cached per (user, agent) for
/// <see cref="ToolExecutionOptions.AgentCacheDuration"/>, a not-found answer included.
/// </summary>
public sealed class AgentDirectory(IBus bus, QueueNames queues, HybridCache cache, IOptions<ToolExecutionOptions> options)
{
    private static readonly string[] Tags = ["tool-execution-agents"];

    /// <summary>The agent when it exists and belongs to <paramref name="userId"/>; otherwise null.</summary>
    /// <exception cref="AgentDirectoryUnavailableException">agent-management did not answer in time.</exception>
    public async Task<AgentResolved?> FindAsync(string userId, Guid agentId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var entry = await cache.GetOrCreateAsync(
            $"tool-execution:agent:{userId}:{agentId:N}",
            (userId, agentId),
            async (key, token) => new CachedAgent(await ResolveAsync(key.userId, key.agentId, token)),
            new HybridCacheEntryOptions { Expiration = settings.AgentCacheDuration, LocalCacheExpiration = settings.AgentCacheDuration },
            Tags,
            cancellationToken);

        return entry.Agent is { } agent && agent.UserId == userId && agent.AgentId == agentId ? agent : null;
    }

    private async Task<AgentResolved?> ResolveAsync(string userId, Guid agentId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var client = bus.CreateRequestClient<ResolveAgent>(queues.Address(AgentManagementQueues.ResolveAgent), RequestTimeout.After(ms: (int)settings.ResolveAgentTimeout.TotalMilliseconds));
        try
        {
            var response = await client.GetResponse<AgentResolved, AgentNotFound>(new ResolveAgent { UserId = userId, AgentId = agentId }, cancellationToken);
            return response.Is(out Response<AgentResolved>? resolved) ? resolved.Message : null;
        }
        catch (RequestTimeoutException ex)
        {
            throw new AgentDirectoryUnavailableException(ex);
        }
    }

    public sealed record CachedAgent(AgentResolved? Agent);
}

public sealed class AgentDirectoryUnavailableException(Exception inner)
    : Exception("agent-management did not answer ResolveAgent in time.", inner);
