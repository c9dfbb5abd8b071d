using System.Collections.Concurrent;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LettaPlatform.AgentManagement.Client.Tests;

/// <summary>
/// A host wired like a service that uses the agent directory (real Redis and RabbitMQ, its own queue prefix and
/// service name), with a stand-in for agent-management on its <c>ResolveAgent</c> queue that answers from
/// what a test tells it and records every request it gets.
/// </summary>
public sealed class DirectoryHost : IAsyncDisposable
{
    private readonly IHost _host;
    private HostReceiveEndpointHandle? _standIn;

    private DirectoryHost(IHost host) => _host = host;

    /// <summary>The agents agent-management knows, by agent id.</summary>
    public ConcurrentDictionary<Guid, AgentResolved> Agents { get; } = new();

    /// <summary>What a <c>LettaAgentMissing</c> request re-provisions an agent as, by agent id.</summary>
    public ConcurrentDictionary<Guid, AgentResolved> Reprovisioned { get; } = new();

    /// <summary>Each user's agent for a template, by (user, template).</summary>
    public ConcurrentDictionary<(string UserId, string TemplateId), AgentResolved> ByTemplate { get; } = new();

    /// <summary>Agents agent-management never answers for, or fails on.</summary>
    public ConcurrentDictionary<Guid, bool> Silent { get; } = new();

    public ConcurrentDictionary<Guid, bool> Failing { get; } = new();

    public ConcurrentQueue<ResolveAgent> Requests { get; } = new();

    public static async Task<DirectoryHost> StartAsync(InfrastructureFixture infrastructure, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var name = $"directory-{Guid.NewGuid():N}"[..22];
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = name,
            ["Messaging:QueuePrefix"] = $"{name}-",
            ["ConnectionStrings:redis"] = infrastructure.RedisConnectionString,
            ["ConnectionStrings:messaging"] = infrastructure.RabbitMqConnectionString,
            ["AgentDirectory:Timeout"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddRedis();
        builder.AddMessaging();
        builder.AddAgentDirectory();

        var directory = new DirectoryHost(builder.Build());
        await directory._host.StartAsync(TestContext.Current.CancellationToken);
        var bus = directory._host.Services.GetRequiredService<IBusControl>();
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        var queue = directory._host.Services.GetRequiredService<QueueNames>().Name(AgentManagementQueues.ResolveAgent);
        directory._standIn = bus.ConnectReceiveEndpoint(queue, endpoint => endpoint.Handler<ResolveAgent>(directory.AnswerAsync));
        await directory._standIn.Ready;
        return directory;
    }

    /// <summary>Runs <paramref name="action"/> with a client of its own scope, as one request of a service would.</summary>
    public async Task<T> WithClientAsync<T>(Func<AgentDirectoryClient, Task<T>> action)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AgentDirectoryClient>());
    }

    public Task ForgetAsync(string userId, Guid agentId) =>
        WithClientAsync(async client =>
        {
            await client.ForgetAsync(userId, agentId, TestContext.Current.CancellationToken);
            return true;
        });

    public AgentResolved Know(string userId, string templateId = "assistant")
    {
        var agent = Agent(Guid.NewGuid(), userId, templateId);
        Agents[agent.AgentId] = agent;
        return agent;
    }

    public static AgentResolved Agent(Guid agentId, string userId, string templateId = "assistant") => new()
    {
        AgentId = agentId,
        UserId = userId,
        TemplateId = templateId,
        TemplateVersion = 1,
        LettaInstance = "letta",
        LettaAgentId = $"agent-{Guid.NewGuid()}",
        Tools = [new AgentTool { Name = "query_tasks", RequiresApproval = false }],
    };

    public int RequestsFor(Guid agentId) => Requests.Count(r => r.AgentId == agentId);

    public async ValueTask DisposeAsync()
    {
        if (_standIn is not null)
        {
            await _standIn.StopAsync();
        }

        await _host.StopAsync();
        _host.Dispose();
    }

    private Task AnswerAsync(ConsumeContext<ResolveAgent> context)
    {
        var request = context.Message;
        Requests.Enqueue(request);
        if (request.AgentId is { } id && Silent.ContainsKey(id))
        {
            return Task.CompletedTask;
        }

        if (request.AgentId is { } failing && Failing.ContainsKey(failing))
        {
            throw new InvalidOperationException("agent-management failed (test).");
        }

        AgentResolved? agent = null;
        if (request.AgentId is { } agentId)
        {
            if (request.LettaAgentMissing && Reprovisioned.TryGetValue(agentId, out var reprovisioned))
            {
                Agents[agentId] = reprovisioned;
            }

            Agents.TryGetValue(agentId, out agent);
        }
        else if (request.TemplateId is { } templateId)
        {
            ByTemplate.TryGetValue((request.UserId, templateId), out agent);
        }

        // Unlike agent-management, the stand-in does not check the owner, so a test can see that the client does.
        return agent is not null
            ? context.RespondAsync(agent)
            : context.RespondAsync(new AgentNotFound { UserId = request.UserId, AgentId = request.AgentId, Reason = "not_found" });
    }
}
