using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.ServiceDefaults.Problems;
using MassTransit;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Chat.Api.Agents;

/// <summary>
/// Finds the user's Letta agent through agent-management (<c>ResolveAgent</c> over RabbitMQ), which
/// also provisions it on first use of a template; answers are cached (HybridCache, Redis second level).
/// </summary>
public sealed class AgentResolver(IRequestClient<ResolveAgent> client, HybridCache cache, IOptions<ChatOptions> options)
{
    private static readonly TimeSpan LocalCacheLimit = TimeSpan.FromSeconds(30);

    public static string CacheKey(string userId, Guid agentId) => $"chat:agent:{userId}:{agentId:N}";

    /// <summary>Resolves by template (provisioning on first use); throws a 404 problem when there is no such template or agent.</summary>
    public async Task<AgentResolved> ResolveByTemplateAsync(string userId, string templateId, CancellationToken cancellationToken)
    {
        var agent = await RequestAsync(new ResolveAgent { UserId = userId, TemplateId = templateId }, cancellationToken);
        await cache.SetAsync(CacheKey(userId, agent.AgentId), agent, Entry(), cancellationToken: cancellationToken);
        return agent;
    }

    public async Task<AgentResolved> ResolveAsync(string userId, Guid agentId, CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync(
            CacheKey(userId, agentId),
            (userId, agentId),
            async (state, ct) => await RequestAsync(new ResolveAgent { UserId = state.userId, AgentId = state.agentId }, ct),
            Entry(),
            cancellationToken: cancellationToken);

    /// <summary>Re-resolves after Letta answered 404 for the agent: agent-management checks Letta and re-provisions a lost agent.</summary>
    public async Task<AgentResolved> ResolveMissingAsync(string userId, Guid agentId, CancellationToken cancellationToken)
    {
        var agent = await RequestAsync(new ResolveAgent { UserId = userId, AgentId = agentId, LettaAgentMissing = true }, cancellationToken);
        await cache.SetAsync(CacheKey(userId, agentId), agent, Entry(), cancellationToken: cancellationToken);
        return agent;
    }

    public Task ForgetAsync(string userId, Guid agentId, CancellationToken cancellationToken) =>
        cache.RemoveAsync(CacheKey(userId, agentId), cancellationToken).AsTask();

    // Other replicas keep their in-process copy only briefly: an agent that moved is re-read from Redis soon.
    private HybridCacheEntryOptions Entry() => new()
    {
        Expiration = options.Value.AgentCacheDuration,
        LocalCacheExpiration = TimeSpan.FromTicks(Math.Min(options.Value.AgentCacheDuration.Ticks, LocalCacheLimit.Ticks)),
    };

    private async Task<AgentResolved> RequestAsync(ResolveAgent request, CancellationToken cancellationToken)
    {
        Response<AgentResolved, AgentNotFound> response;
        try
        {
            response = await client.GetResponse<AgentResolved, AgentNotFound>(request, cancellationToken, RequestTimeout.After(ms: (int)options.Value.ResolveAgentTimeout.TotalMilliseconds));
        }
        catch (Exception ex) when (ex is RequestTimeoutException or RequestFaultException or MassTransitException && !cancellationToken.IsCancellationRequested)
        {
            throw ApiProblems.AgentManagementUnavailable.Exception(
                "agent-management did not answer; try again shortly.", TimeSpan.FromSeconds(5), ex);
        }

        return response.Is(out Response<AgentResolved>? resolved)
            ? resolved.Message
            : throw ApiProblems.AgentNotFound.Exception(
                response.Is(out Response<AgentNotFound>? notFound) ? notFound.Message.Reason : "No such agent.");
    }
}
