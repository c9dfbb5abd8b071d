using System.Net.Http.Headers;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.MemorySync.Api.Tests.TestHost;

/// <summary>
/// memory-sync-api on its own database, with real Redis and RabbitMQ, talking to the given LettaDev servers
/// (one Letta instance each). Its queues carry a unique prefix, so two hosts of this test run (or a
/// memory-sync of another test assembly) each get their own copy of every event instead of taking turns.
/// </summary>
public sealed class MemorySyncHost : IAsyncDisposable
{
    public const string SigningKey = "memory-sync-tests-signing-key-0123456789abcdef";

    private readonly WebApplicationFactory<Program> _factory;
    private readonly DevTokenIssuer _tokens = new(SigningKey);

    private MemorySyncHost(WebApplicationFactory<Program> factory) => _factory = factory;

    /// <summary>Where this host sends <c>ResolveAgent</c>: its own queue, never a real agent-management's.</summary>
    public string ResolveAgentQueue => Services.GetRequiredService<QueueNames>().Name(AgentManagementQueues.ResolveAgent);

    /// <summary>Where this host answers <c>ReadAgentMemory</c>, as agent-management asks it before re-creating a lost agent.</summary>
    public string ReadAgentMemoryQueue => Services.GetRequiredService<QueueNames>().Name(MemorySyncQueues.ReadAgentMemory);

    public IServiceProvider Services => _factory.Services;

    public IBus Bus => Services.GetRequiredService<IBus>();

    public static async Task<MemorySyncHost> StartAsync(
        InfrastructureFixture infrastructure,
        string name,
        IReadOnlyDictionary<string, LettaDevServer> lettaInstances,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await infrastructure.CreateDatabaseAsync($"memory_{name}");
        var suffix = Guid.NewGuid().ToString("N")[..8];

        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("OTEL_SERVICE_NAME", $"memory-sync-{name}-{suffix}");
            web.UseSetting("Messaging:QueuePrefix", $"test-{name}-{suffix}-");
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            web.UseSetting("Auth:DevSigningKey", SigningKey);
            web.UseSetting("ConnectionStrings:memorydb", database);
            web.UseSetting("ConnectionStrings:redis", infrastructure.RedisConnectionString);
            web.UseSetting("ConnectionStrings:messaging", infrastructure.RabbitMqConnectionString);
            foreach (var (instance, server) in lettaInstances)
            {
                web.UseSetting($"Letta:Instances:{instance}:Endpoint", server.Endpoint.ToString());
            }

            // Letta outages are part of the tests: fail fast and let memory-sync's own retry take over.
            web.UseSetting("Letta:Resilience:MaxRetryAttempts", "1");
            web.UseSetting("Letta:Resilience:BaseDelay", "00:00:00.050");
            web.UseSetting("Letta:Resilience:CircuitBreakerBreakDuration", "00:00:00.500");
            web.UseSetting("MemorySync:PushPollInterval", "00:00:00.200");
            web.UseSetting("MemorySync:PushMinRetryDelay", "00:00:00.200");
            web.UseSetting("MemorySync:PushMaxRetryDelay", "00:00:01");
            web.UseSetting("MemorySync:ReconcileInterval", "00:00:00");
            web.UseSetting("MemorySync:SnapshotInterval", "00:00:00");
            web.UseSetting("AgentDirectory:Timeout", "00:00:02");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                web.UseSetting(key, value);
            }
        });

        var host = new MemorySyncHost(factory);
        await host.WaitUntilHealthyAsync();
        return host;
    }

    /// <summary>A client of the API authenticated as <paramref name="userId"/>.</summary>
    public HttpClient CreateClient(string userId, bool admin = false)
    {
        var client = _factory.CreateClient();
        var token = _tokens.CreateToken(userId, roles: admin ? [Roles.Admin] : null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    public ILettaClient Letta(string instance) => Services.GetRequiredService<ILettaClientFactory>().CreateClient(instance);

    public async Task<T> QueryAsync<T>(Func<MemorySyncDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<MemorySyncDbContext>());
    }

    /// <summary>Creates an agent in Letta and announces it the way agent-management does; returns once memory-sync has its blocks.</summary>
    public async Task<TestAgent> ProvisionAgentAsync(string userId, string instance = "letta", int humanLimit = 500, string templateId = "code-assistant")
    {
        var state = await Letta(instance).CreateAgentAsync(TestAgent.CreateRequest(humanLimit), TestContext.Current.CancellationToken);
        var agent = new TestAgent(Guid.NewGuid(), userId, instance, state.Id);
        await Bus.Publish(new AgentProvisioned
        {
            AgentId = agent.Id,
            UserId = userId,
            TemplateId = templateId,
            TemplateVersion = 1,
            LettaInstance = instance,
            LettaAgentId = state.Id,
            ProvisionedAt = DateTimeOffset.UtcNow,
        }, TestContext.Current.CancellationToken);

        await Eventually.TrueAsync(() => QueryAsync(db => db.Blocks.CountAsync(b => b.AgentId == agent.Id)), count => count == 2);
        return agent;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task WaitUntilHealthyAsync()
    {
        using var client = _factory.CreateClient();
        await Eventually.TrueAsync(async () => (int)(await client.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode, status => status == 200, TimeSpan.FromSeconds(60));
    }
}

public sealed record TestAgent(Guid Id, string UserId, string Instance, string LettaAgentId)
{
    public const string Persona = "I am a careful coding assistant.";
    public const string Human = "The user's name is Alice.";

    public string BlocksPath => $"/api/memory/agents/{Id}/blocks";

    public static CreateAgentRequest CreateRequest(int humanLimit) => new()
    {
        Name = $"memory-test-{Guid.NewGuid():N}",
        AgentType = "letta_v1_agent",
        Model = "openai/gpt-4.1-mini",
        IncludeBaseTools = true,
        MemoryBlocks =
        [
            new CreateBlockRequest { Label = "persona", Value = Persona, Limit = 2000 },
            new CreateBlockRequest { Label = "human", Value = Human, Limit = humanLimit },
        ],
    };
}

public static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds; fails with the last value otherwise.</summary>
    public static async Task<T> TrueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"Condition not met in time; last value: {value}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
