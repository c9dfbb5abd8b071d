using System.Net.Http.Headers;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Services;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.AgentManagement.Api.Tests.TestHost;

/// <summary>
/// The agent-management service in memory against the shared PostgreSQL, Redis and RabbitMQ and the
/// given LettaDev instances. Each host has its own database and its own queue prefix, so test classes
/// running side by side never answer each other's requests.
/// </summary>
public sealed class AgentManagementHost : WebApplicationFactory<Program>
{
    public const string SigningKey = "agent-management-tests-signing-key-0123456789";

    private readonly Dictionary<string, string?> _settings;

    private AgentManagementHost(Dictionary<string, string?> settings) => _settings = settings;

    public FaultInjector Faults => Services.GetRequiredService<FaultInjector>();

    /// <summary>Stops archiving or restoring at a named point, as a crash of the replica there would.</summary>
    public CrashingArchiveHooks ArchiveCrashes => Services.GetRequiredService<CrashingArchiveHooks>();

    /// <summary>memory-sync as re-provisioning meets it, on this host's own <c>ReadAgentMemory</c> queue.</summary>
    public MemorySyncStandIn MemorySync { get; } = new();

    public static async Task<AgentManagementHost> StartAsync(
        InfrastructureFixture infrastructure, IReadOnlyDictionary<string, Uri> lettaInstances, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = $"agent-management-test-{unique}",
            ["ConnectionStrings:agentsdb"] = await infrastructure.CreateDatabaseAsync("agents"),
            ["ConnectionStrings:redis"] = infrastructure.RedisConnectionString,
            ["ConnectionStrings:messaging"] = infrastructure.RabbitMqConnectionString,
            ["Auth:DevSigningKey"] = SigningKey,
            ["Messaging:QueuePrefix"] = $"test-{unique}-",
            ["AgentManagement:ReadAgentMemoryTimeout"] = "00:00:02",
            ["AgentManagement:RolloutPollInterval"] = "00:00:00.500",
            ["AgentManagement:ArchivePollInterval"] = "01:00:00",
            ["AgentManagement:ArchiveInactiveAfter"] = "00:10:00",
            ["AgentManagement:InstanceHealthCacheDuration"] = "00:00:05",
            ["AgentManagement:InstanceHealthTimeout"] = "00:00:10",
            ["Letta:Resilience:MaxRetryAttempts"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:LettaPlatform"] = "Information",
        };
        foreach (var (name, endpoint) in lettaInstances)
        {
            settings[$"Letta:Instances:{name}:Endpoint"] = endpoint.ToString();
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var host = new AgentManagementHost(settings);
        await host.Services.GetRequiredService<DatabaseInitializationState<AgentManagementDbContext>>().Migrated
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await host.MemorySync.ConnectAsync(host.Services.GetRequiredService<IBus>(), host.Services.GetRequiredService<QueueNames>().Name(MemorySyncQueues.ReadAgentMemory));
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<FaultInjector>();
            services.AddSingleton<CrashingArchiveHooks>();
            services.AddSingleton<ArchiveHooks>(provider => provider.GetRequiredService<CrashingArchiveHooks>());
            services.AddTransient<FaultInjectingHandler>();
            services.AddHttpClient(LettaServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler<FaultInjectingHandler>();
        });
    }

    public HttpClient ClientFor(string userId, bool admin = false)
    {
        var client = CreateClient();
        var token = new DevTokenIssuer(SigningKey).CreateToken(userId, roles: admin ? [Roles.Admin] : null).AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public ILettaClient Letta(string instance) => Services.GetRequiredService<ILettaClientFactory>().CreateClient(instance);

    public AgentManagementMetrics Metrics => Services.GetRequiredService<AgentManagementMetrics>();

    /// <summary>Sends <see cref="ResolveAgent"/> point to point to this host's queue, as chat-api does.</summary>
    public async Task<Response<AgentResolved, AgentNotFound, AgentRuntimeUnavailable>> ResolveAsync(ResolveAgent request)
    {
        var client = Services.GetRequiredService<IBus>().CreateRequestClient<ResolveAgent>(
            Services.GetRequiredService<QueueNames>().Address(AgentManagementQueues.ResolveAgent), RequestTimeout.After(s: 60));
        return await client.GetResponse<AgentResolved, AgentNotFound, AgentRuntimeUnavailable>(request, TestContext.Current.CancellationToken);
    }

    public async Task<T> WithDbAsync<T>(Func<AgentManagementDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AgentManagementDbContext>());
    }

    /// <summary>The messages of type <typeparamref name="T"/> staged in the service's outbox, as JSON bodies.</summary>
    public Task<List<string>> OutboxBodiesAsync<T>() => WithDbAsync(db =>
    {
        var type = $"{typeof(T).FullName}, {typeof(T).Assembly.GetName().Name}";
        return db.Set<OutboxMessage>().Where(m => m.MessageType == type).OrderBy(m => m.Sequence).Select(m => m.Body).ToListAsync();
    });
}

/// <summary>Throws at <see cref="CrashAt"/> (an <see cref="ArchiveHooks"/> point): the step's transaction is never committed.</summary>
public sealed class CrashingArchiveHooks : ArchiveHooks
{
    public string? CrashAt { get; set; }

    public override Task ReachedAsync(string point, Guid agentId, CancellationToken cancellationToken) =>
        point == CrashAt ? throw new SimulatedCrashException(point) : Task.CompletedTask;
}

public sealed class SimulatedCrashException(string point) : Exception($"Simulated crash at '{point}' (test)");

/// <summary>Lets a test make chosen Letta calls of the service fail, to exercise its rollback paths.</summary>
public sealed class FaultInjector
{
    public Func<HttpRequestMessage, bool>? FailWhen { get; set; }
}

internal sealed class FaultInjectingHandler(FaultInjector injector) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (injector.FailWhen?.Invoke(request) == true)
        {
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError)
            {
                RequestMessage = request,
                Content = new StringContent("""{"detail":"Injected failure (test)"}""", System.Text.Encoding.UTF8, "application/json"),
            });
        }

        return base.SendAsync(request, cancellationToken);
    }
}
