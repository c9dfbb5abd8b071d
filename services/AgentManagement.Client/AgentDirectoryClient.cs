using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace LettaPlatform.AgentManagement.Client;

/// <summary>
/// A user's agent as agent-management, its owner, knows it: <see cref="ResolveAgent"/> over the bus to
/// <see cref="AgentManagementQueues.ResolveAgent"/>. Answers are cached per (user, agent) in HybridCache, Redis
/// behind each replica's memory, under this service's name (each service chooses its own freshness, see
/// <see cref="AgentDirectoryOptions"/>); "no such agent" is cached too, no answer never is. An agent that
/// belongs to another user is no agent: whatever the answer says, a caller only ever sees its own.
/// </summary>
public sealed class AgentDirectoryClient(
    IRequestClient<ResolveAgent> client, HybridCache cache, ServiceIdentity identity, IOptions<AgentDirectoryOptions> options)
{
    // Reads that never fall through to a factory: a miss is answered by asking agent-management, then cached by SetAsync.
    private static readonly HybridCacheEntryOptions ReadOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    private readonly AgentDirectoryOptions _options = options.Value;

    /// <summary>The agent when it exists and belongs to <paramref name="userId"/>; otherwise null.</summary>
    /// <exception cref="AgentManagementUnavailableException">agent-management did not answer.</exception>
    public async Task<AgentResolved?> FindAsync(string userId, Guid agentId, CancellationToken cancellationToken)
    {
        var cached = await cache.GetOrCreateAsync(Key(userId, agentId), _ => ValueTask.FromResult<CachedAnswer?>(null), ReadOnly, cancellationToken: cancellationToken);
        if (cached is not null)
        {
            return Owned(cached.Agent, userId, agentId);
        }

        var agent = Owned(await RequestAsync(new ResolveAgent { UserId = userId, AgentId = agentId }, cancellationToken), userId, agentId);
        await RememberAsync(userId, agentId, agent, cancellationToken);
        return agent;
    }

    /// <summary>
    /// The user's agent for <paramref name="templateId"/> (in project <paramref name="projectId"/>, when given), which
    /// agent-management provisions on first use; null when there is no such template. The agent is cached under its
    /// id, for <see cref="FindAsync"/>.
    /// </summary>
    /// <exception cref="AgentManagementUnavailableException">agent-management did not answer.</exception>
    public async Task<AgentResolved?> ResolveByTemplateAsync(string userId, string templateId, string? projectId, CancellationToken cancellationToken)
    {
        var agent = await RequestAsync(new ResolveAgent { UserId = userId, TemplateId = templateId, ProjectId = projectId }, cancellationToken);
        if (agent is null || agent.UserId != userId)
        {
            return null;
        }

        await RememberAsync(userId, agent.AgentId, agent, cancellationToken);
        return agent;
    }

    /// <summary>
    /// Asks again, past the cache, after Letta answered 404 for the agent: agent-management checks Letta and
    /// re-provisions an agent Letta lost. The answer replaces the cached one.
    /// </summary>
    /// <exception cref="AgentManagementUnavailableException">agent-management did not answer.</exception>
    /// <exception cref="AgentRuntimeUnavailableException">Letta could not be reached to re-create the agent.</exception>
    public async Task<AgentResolved?> ResolveMissingAsync(string userId, Guid agentId, CancellationToken cancellationToken)
    {
        var request = new ResolveAgent { UserId = userId, AgentId = agentId, LettaAgentMissing = true };
        var agent = Owned(await RequestAsync(request, cancellationToken), userId, agentId);
        await RememberAsync(userId, agentId, agent, cancellationToken);
        return agent;
    }

    /// <summary>Drops the cached answer (the agent moved or was deleted), so the next lookup asks agent-management.</summary>
    public Task ForgetAsync(string userId, Guid agentId, CancellationToken cancellationToken) =>
        cache.RemoveAsync(Key(userId, agentId), cancellationToken).AsTask();

    // The agent id is a GUID at the end of the key, so no user id (':' included) can make two keys collide.
    private string Key(string userId, Guid agentId) => $"{identity.Name}:agent:{userId}:{agentId:N}";

    private static AgentResolved? Owned(AgentResolved? agent, string userId, Guid agentId) =>
        agent is not null && agent.UserId == userId && agent.AgentId == agentId ? agent : null;

    private async Task RememberAsync(string userId, Guid agentId, AgentResolved? agent, CancellationToken cancellationToken)
    {
        var duration = agent is null ? _options.NotFoundCacheDuration : _options.CacheDuration;
        if (duration <= TimeSpan.Zero)
        {
            await ForgetAsync(userId, agentId, cancellationToken);
            return;
        }

        var entry = new HybridCacheEntryOptions
        {
            Expiration = duration,
            LocalCacheExpiration = duration < _options.LocalCacheDuration ? duration : _options.LocalCacheDuration,
        };
        await cache.SetAsync(Key(userId, agentId), new CachedAnswer(agent), entry, cancellationToken: cancellationToken);
    }

    private async Task<AgentResolved?> RequestAsync(ResolveAgent request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetResponse<AgentResolved, AgentNotFound, AgentRuntimeUnavailable>(
                request, cancellationToken, RequestTimeout.After(ms: (int)_options.Timeout.TotalMilliseconds));
            if (response.Is(out Response<AgentRuntimeUnavailable>? unavailable))
            {
                throw new AgentRuntimeUnavailableException(unavailable.Message.Reason);
            }

            return response.Is(out Response<AgentResolved>? resolved) ? resolved.Message : null;
        }
        catch (MassTransitException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // RequestTimeoutException and RequestFaultException are MassTransitExceptions, as is a broker that cannot be reached.
            throw new AgentManagementUnavailableException(ex);
        }
    }

    /// <summary>What is cached: agent-management's answer, <see cref="Agent"/> null for "no such agent".</summary>
    public sealed record CachedAnswer(AgentResolved? Agent);
}
