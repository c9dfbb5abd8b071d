using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace LettaPlatform.ServiceDefaults.Caching;

public static class RedisExtensions
{
    // Two threads of its own for the client's socket work, not the shared manager's ten: a process holds two connections
    // (commands and subscriptions), and idle threads cost CPU while they wait (bench/README.md).
    private static readonly SocketManager Sockets = new("lettaplatform-redis", workerCount: 2);

    /// <summary>
    /// Registers <see cref="IConnectionMultiplexer"/> from <c>ConnectionStrings:{connectionName}</c> (Aspire.StackExchange.Redis),
    /// <see cref="Microsoft.Extensions.Caching.Hybrid.HybridCache"/> with Redis as its second level, and a
    /// readiness check named <paramref name="connectionName"/> that PINGs the server.
    /// </summary>
    public static IHostApplicationBuilder AddRedis(this IHostApplicationBuilder builder, string connectionName = "redis")
    {
        // Aspire's Redis client: the multiplexer with its tracing; it starts even while Redis is down, reconnects,
        // and the platform's own check below reports it. Its socket work stays on the client's own threads: on the
        // .NET thread pool (SocketManager.ThreadPool, cheaper per turn) a busy pool stalled it until commands timed out
        // and connections failed (CI, bench/README.md).
        builder.AddRedisClient(connectionName, settings => settings.DisableHealthChecks = true, options =>
        {
            options.AbortOnConnectFail = false;
            options.SocketManager = Sockets;
        });

        builder.Services.AddStackExchangeRedisCache(_ => { });
        builder.Services.AddOptions<RedisCacheOptions>()
            .Configure<IServiceProvider>((cache, services) =>
                cache.ConnectionMultiplexerFactory = () => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>()));

        builder.Services.AddHybridCache();

        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(connectionName, timeout: TimeSpan.FromSeconds(5));

        return builder;
    }
}

internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Not connected to Redis.");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer PING.", ex);
        }
    }
}
