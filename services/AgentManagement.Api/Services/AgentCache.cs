using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.ServiceDefaults.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// Resolved agents in HybridCache (memory, then Redis), under two keys: the agent id and the
/// (user, template, project) it was provisioned for. Every change to an agent's mapping evicts both.
/// </summary>
public sealed partial class AgentCache(
    HybridCache cache, CacheEvictionRetries retries, AgentManagementMetrics metrics, IOptions<AgentManagementOptions> options, ILogger<AgentCache> logger)
{
    // Reads that must not fall through to a factory: a miss is answered by the caller, who knows how to load.
    private static readonly HybridCacheEntryOptions ReadOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    public async Task<AgentResolved?> GetByIdAsync(Guid agentId, CancellationToken cancellationToken) =>
        Count(await cache.GetOrCreateAsync<AgentResolved?>(IdKey(agentId), _ => ValueTask.FromResult<AgentResolved?>(null), ReadOnly, cancellationToken: cancellationToken));

    public async Task<AgentResolved?> GetByKeyAsync(string userId, string templateId, string? projectId, CancellationToken cancellationToken) =>
        Count(await cache.GetOrCreateAsync<AgentResolved?>(Key(userId, templateId, projectId), _ => ValueTask.FromResult<AgentResolved?>(null), ReadOnly, cancellationToken: cancellationToken));

    public async Task SetAsync(AgentResolved resolved, CancellationToken cancellationToken)
    {
        var entry = new HybridCacheEntryOptions
        {
            Expiration = options.Value.ResolutionCacheDuration,
            LocalCacheExpiration = TimeSpan.FromTicks(Math.Min(options.Value.ResolutionLocalCacheDuration.Ticks, options.Value.ResolutionCacheDuration.Ticks)),
        };
        await cache.SetAsync(IdKey(resolved.AgentId), resolved, entry, cancellationToken: cancellationToken);
        await cache.SetAsync(Key(resolved.UserId, resolved.TemplateId, resolved.ProjectId), resolved, entry, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Evicts both keys of <paramref name="agent"/>, after a change to it was saved. When Redis refuses, the change still
    /// stands: the eviction is handed to <see cref="CacheEvictionRetries"/> and this returns, so a saved change is never
    /// answered as a failure.
    /// </summary>
    public async Task EvictAsync(AgentConfig agent, CancellationToken cancellationToken)
    {
        string[] keys = [IdKey(agent.Id), Key(agent.UserId, agent.TemplateId, agent.ProjectId)];
        for (var i = 0; i < keys.Length; i++)
        {
            try
            {
                await cache.RemoveAsync(keys[i], cancellationToken);
            }
            catch (Exception ex) when (ex.IsRedisFailure())
            {
                LogEvictionDeferred(ex, agent.Id);
                retries.Add(agent.Id, keys[i..]);
                return;
            }
        }
    }

    private AgentResolved? Count(AgentResolved? value)
    {
        if (value is null)
        {
            metrics.CacheMiss();
        }
        else
        {
            metrics.CacheHit();
        }

        return value;
    }

    private static string IdKey(Guid agentId) => $"agent-management:agent:{agentId:N}";

    // Each part is length-prefixed so that no user id containing ':' can collide with another key.
    private static string Key(string userId, string templateId, string? projectId) =>
        $"agent-management:owner:{userId.Length}:{userId}:{templateId}:{projectId?.Length ?? -1}:{projectId}";

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning,
        Message = "Redis refused to evict agent {AgentId} from the resolution cache after its change was saved; the eviction is retried")]
    private partial void LogEvictionDeferred(Exception exception, Guid agentId);
}
