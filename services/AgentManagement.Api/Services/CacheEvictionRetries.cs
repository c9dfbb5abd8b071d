using System.Threading.Channels;
using LettaPlatform.ServiceDefaults.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// Evictions that Redis refused after the change they follow was saved (<see cref="AgentCache.EvictAsync"/>): the
/// change stands, so the request that made it succeeds, and the eviction is retried here, with backoff, until Redis
/// takes it or the entry has expired by itself (<see cref="AgentManagementOptions.ResolutionCacheDuration"/>). A
/// replica that stops first loses its retries; the entries then live until they expire.
/// </summary>
public sealed partial class CacheEvictionRetries(
    HybridCache cache, IOptions<AgentManagementOptions> options, TimeProvider timeProvider, ILogger<CacheEvictionRetries> logger) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(10);

    private readonly Channel<(Guid AgentId, string Key, DateTimeOffset ExpiresBy)> _pending = Channel.CreateUnbounded<(Guid, string, DateTimeOffset)>();
    private int _count;

    /// <summary>How many evictions wait for Redis.</summary>
    public int Pending => Volatile.Read(ref _count);

    /// <summary>Retries removing <paramref name="keys"/> (of agent <paramref name="agentId"/>) until Redis takes it.</summary>
    public void Add(Guid agentId, IEnumerable<string> keys)
    {
        var expiresBy = timeProvider.GetUtcNow() + options.Value.ResolutionCacheDuration;
        foreach (var key in keys)
        {
            Interlocked.Increment(ref _count);
            _pending.Writer.TryWrite((agentId, key, expiresBy));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (agentId, key, expiresBy) in _pending.Reader.ReadAllAsync(stoppingToken))
        {
            var delay = FirstDelay;
            while (timeProvider.GetUtcNow() < expiresBy)
            {
                try
                {
                    await cache.RemoveAsync(key, stoppingToken);
                    LogEvicted(agentId);
                    break;
                }
                catch (Exception ex) when (ex.IsRedisFailure())
                {
                    await Task.Delay(delay, timeProvider, stoppingToken);
                    delay = delay * 2 < LongestDelay ? delay * 2 : LongestDelay;
                }
            }

            Interlocked.Decrement(ref _count);
        }
    }

    [LoggerMessage(EventId = 3302, Level = LogLevel.Information, Message = "Evicted agent {AgentId} from the resolution cache on a retry")]
    private partial void LogEvicted(Guid agentId);
}
