using Aspire.Hosting;
using Aspire.Hosting.Testing;
using System.Diagnostics;
using LettaPlatform.AgentManagement.Client;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.Diagnostics;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Diagnostics;
using LettaPlatform.ServiceDefaults.Messaging;
using LettaPlatform.TestInfrastructure;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LettaPlatform.Bench;

/// <summary>
/// What resolving a platform agent to its Letta agent costs a service. The benchmark is a service here: a host of its
/// own on the platform's Redis and RabbitMQ, wired as the services are (<c>AddRedis</c>, <c>AddMessaging</c>,
/// <c>AddAgentDirectory</c>). It measures, for the benchmark users' real agents: the <see cref="AgentDirectoryClient"/>
/// answering from its cache (what a turn pays once the agent was resolved); <c>ResolveAgent</c> over RabbitMQ to
/// agent-management, sequential and from <see cref="BenchOptions.Users"/> senders at once, answered from
/// agent-management's own cache (the agents exist and are active); and, interleaved with it, a bare MassTransit
/// request/response to agent-management (its diagnostics ping, whose consumer only answers) as the floor.
/// </summary>
public sealed class ResolutionBench(PlatformFixture platform, BenchOptions options)
{
    private const string AgentManagement = "agent-management-api";

    public async Task<ResolutionSummary> RunAsync(IReadOnlyList<AgentOfUser> agents, CancellationToken cancellationToken)
    {
        using var host = await StartHostAsync(cancellationToken);
        var services = host.Services;
        var agent = agents[0];

        await using var scope = services.CreateAsyncScope();
        var resolve = scope.ServiceProvider.GetRequiredService<IRequestClient<ResolveAgent>>();
        var ping = services.GetRequiredService<IBus>().CreateRequestClient<PingService>(
            services.GetRequiredService<QueueNames>().Address(PingServiceConsumer.QueueName(AgentManagement)));
        for (var i = 0; i < options.ResolutionWarmUp; i++)
        {
            foreach (var each in agents)
            {
                await ResolveAsync(resolve, each, cancellationToken);
            }

            await PingAsync(ping, cancellationToken);
        }

        var bus = new Samples();
        var bare = new Samples();
        var busWatch = new Stopwatch();
        var bareWatch = new Stopwatch();
        for (var i = 0; i < options.Resolutions; i++)
        {
            // Alternated, so both see the same moments of a noisy machine.
            busWatch.Start();
            await bus.TimeAsync(() => ResolveAsync(resolve, agent, cancellationToken));
            busWatch.Stop();
            bareWatch.Start();
            await bare.TimeAsync(() => PingAsync(ping, cancellationToken));
            bareWatch.Stop();
        }

        var concurrent = await ConcurrentAsync(services, agents, cancellationToken);
        var cacheHit = await CacheHitsAsync(services, agent, cancellationToken);
        return new ResolutionSummary(
            cacheHit,
            new ResolutionPath(bus.Summary(), bus.Count / busWatch.Elapsed.TotalSeconds, 1),
            concurrent,
            new ResolutionPath(bare.Summary(), bare.Count / bareWatch.Elapsed.TotalSeconds, 1));
    }

    /// <summary>The directory's answer for an agent it resolved before: a fresh request scope each time, as each turn has.</summary>
    private async Task<ResolutionPath> CacheHitsAsync(IServiceProvider services, AgentOfUser agent, CancellationToken cancellationToken)
    {
        async Task FindAsync()
        {
            await using var scope = services.CreateAsyncScope();
            var found = await scope.ServiceProvider.GetRequiredService<AgentDirectoryClient>().FindAsync(agent.UserId, agent.AgentId, cancellationToken);
            if (found?.LettaAgentId != agent.LettaAgentId)
            {
                throw new InvalidOperationException($"The agent directory answered {found?.LettaAgentId ?? "no agent"} for {agent.AgentId}.");
            }
        }

        // The first lookup asks agent-management and caches the answer; the warm-up also brings the code path up to speed.
        for (var i = 0; i < options.ResolutionWarmUp * 10; i++)
        {
            await FindAsync();
        }

        var hits = new Samples();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < options.CacheHits; i++)
        {
            await hits.TimeAsync(FindAsync);
        }

        watch.Stop();
        return new ResolutionPath(hits.Summary(), hits.Count / watch.Elapsed.TotalSeconds, 1);
    }

    /// <summary><see cref="BenchOptions.Users"/> senders at once for <see cref="BenchOptions.LoadDuration"/>, each resolving one user's agent.</summary>
    private async Task<ResolutionPath> ConcurrentAsync(IServiceProvider services, IReadOnlyList<AgentOfUser> agents, CancellationToken cancellationToken)
    {
        var samples = Enumerable.Range(0, options.Users).Select(_ => new Samples()).ToList();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(samples.Select(async (s, i) =>
        {
            await using var scope = services.CreateAsyncScope();
            var client = scope.ServiceProvider.GetRequiredService<IRequestClient<ResolveAgent>>();
            while (watch.Elapsed < options.LoadDuration)
            {
                await s.TimeAsync(() => ResolveAsync(client, agents[i % agents.Count], cancellationToken));
            }
        }));
        watch.Stop();
        var merged = new Samples();
        samples.ForEach(s => s.CopyTo(merged));
        return new ResolutionPath(merged.Summary(), merged.Count / watch.Elapsed.TotalSeconds, options.Users);
    }

    /// <summary>The request <see cref="AgentDirectoryClient"/> sends on a cache miss, checked to be answered with the agent.</summary>
    private static async Task ResolveAsync(IRequestClient<ResolveAgent> client, AgentOfUser agent, CancellationToken cancellationToken)
    {
        var response = await client.GetResponse<AgentResolved, AgentNotFound>(new ResolveAgent { UserId = agent.UserId, AgentId = agent.AgentId }, cancellationToken);
        if (!response.Is(out Response<AgentResolved>? resolved) || resolved.Message.LettaAgentId != agent.LettaAgentId)
        {
            throw new InvalidOperationException($"agent-management did not resolve agent {agent.AgentId} to {agent.LettaAgentId}.");
        }
    }

    private static Task PingAsync(IRequestClient<PingService> client, CancellationToken cancellationToken) =>
        client.GetResponse<ServicePonged>(new PingService { From = "bench", Nonce = Guid.NewGuid(), SentAt = DateTimeOffset.UtcNow }, cancellationToken);

    private async Task<IHost> StartHostAsync(CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "bench",
            ["ConnectionStrings:redis"] = await platform.App.GetConnectionStringAsync("redis", cancellationToken),
            ["ConnectionStrings:messaging"] = await platform.App.GetConnectionStringAsync("messaging", cancellationToken),
            // Long enough that no cached answer expires while it is measured: the cost of a hit is the question, not expiry.
            ["AgentDirectory:CacheDuration"] = "00:10:00",
            ["AgentDirectory:LocalCacheDuration"] = "00:10:00",
        });
        builder.Logging.ClearProviders();
        builder.AddRedis();
        builder.AddMessaging();
        builder.AddAgentDirectory();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        return host;
    }
}

/// <summary>How one way of resolving an agent performed: its latencies, and resolutions a second at <see cref="Concurrency"/> callers.</summary>
public sealed record ResolutionPath(Latency Latency, double PerSecond, int Concurrency);

/// <summary>
/// Resolving an agent: from the calling service's own cache; over the bus to agent-management, one caller and many;
/// and a bare MassTransit request/response to agent-management beside it.
/// </summary>
public sealed record ResolutionSummary(ResolutionPath CacheHit, ResolutionPath BusRoundTrip, ResolutionPath BusRoundTripConcurrent, ResolutionPath BareRequestResponse)
{
    /// <summary>What agent-management's resolving adds to a bare request/response, p50.</summary>
    public double BusAddedP50Ms => BusRoundTrip.Latency.P50 - BareRequestResponse.Latency.P50;
}
