using System.Collections.Concurrent;
using System.Net.Http.Headers;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;
using LettaPlatform.ToolExecution.Api.Data;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LettaPlatform.ToolExecution.Api.Tests.TestHost;

/// <summary>
/// The real tool-execution service (in memory, <see cref="WebApplicationFactory{TEntryPoint}"/>) on its own
/// database, the shared Redis and RabbitMQ, and a <see cref="FakeGitHub"/>. Its queues have a prefix of their
/// own, so test classes running at the same time never take each other's messages. agent-management is
/// played by a tiny <c>ResolveAgent</c> handler on this host's bus that answers from <see cref="Agents"/>:
/// a stand-in for the other service, not a copy of it.
/// </summary>
public class ToolExecutionHost(InfrastructureFixture infrastructure) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string SigningKey = "tool-execution-tests-signing-key-0123456789";

    private readonly string _name = $"te-{Guid.NewGuid():N}"[..15];
    private string? _database;

    public FakeGitHub GitHub { get; } = new();

    public CapturedLogs Logs { get; } = new();

    /// <summary>The agents the agent-management stand-in knows, by agent id.</summary>
    public ConcurrentDictionary<Guid, AgentResolved> Agents { get; } = new();

    /// <summary>Agents the stand-in never answers for, as if agent-management were down.</summary>
    public ConcurrentDictionary<Guid, bool> SilentAgents { get; } = new();

    public QueueNames Queues => Services.GetRequiredService<QueueNames>();

    /// <summary>Settings a derived fixture changes (limits, timeouts).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public async ValueTask InitializeAsync()
    {
        _database = await infrastructure.CreateDatabaseAsync("toolexec");
        await GitHub.StartAsync();
        _ = Server;
        await Services.GetRequiredService<DatabaseInitializationState<ToolExecutionDbContext>>().Migrated.WaitAsync(TimeSpan.FromSeconds(60));
        var bus = Services.GetRequiredService<IBusControl>();
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));

        var standIn = bus.ConnectReceiveEndpoint(Queues.Name(AgentManagementQueues.ResolveAgent), endpoint => endpoint.Handler<ResolveAgent>(context =>
            SilentAgents.ContainsKey(context.Message.AgentId ?? Guid.Empty) ? Task.CompletedTask
            : Agents.TryGetValue(context.Message.AgentId ?? Guid.Empty, out var agent) && agent.UserId == context.Message.UserId
                ? context.RespondAsync(agent)
                : context.Message is { AgentId: null, TemplateId: { } template }
                    && Agents.Values.FirstOrDefault(a => a.UserId == context.Message.UserId && a.TemplateId == template) is { } ofTemplate
                    ? context.RespondAsync(ofTemplate)
                : context.RespondAsync(new AgentNotFound { UserId = context.Message.UserId, AgentId = context.Message.AgentId, Reason = "no such agent" })));
        await standIn.Ready;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await GitHub.DisposeAsync();
    }

    /// <summary>Registers an agent of <paramref name="userId"/> whose template allows <paramref name="tools"/> (name, requires approval).</summary>
    public Guid AddAgent(string userId, params (string Name, bool RequiresApproval)[] tools) => AddAgentOf(userId, "code-assistant", tools);

    /// <summary>Registers an agent of <paramref name="userId"/> made from <paramref name="templateId"/> (found by template too, as agent-management does).</summary>
    public Guid AddAgentOf(string userId, string templateId, params (string Name, bool RequiresApproval)[] tools)
    {
        var agentId = Guid.NewGuid();
        Agents[agentId] = new AgentResolved
        {
            AgentId = agentId,
            UserId = userId,
            TemplateId = templateId,
            TemplateVersion = 1,
            LettaInstance = "default",
            LettaAgentId = $"agent-{agentId}",
            Tools = [.. tools.Select(t => new AgentTool { Name = t.Name, RequiresApproval = t.RequiresApproval })],
        };
        return agentId;
    }

    /// <summary>An agent whose template allows every catalog tool with the catalog's own policy.</summary>
    public Guid AddAgentWithAllTools(string userId) => AddAgent(
        userId, [.. Catalog.ToolDefinitions.All.Select(t => (t.Name, t.RequiresApproval))]);

    public HttpClient CreateClientFor(string userId)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new DevTokenIssuer(SigningKey).CreateToken(userId).AccessToken);
        return client;
    }

    /// <summary>Connects <paramref name="userId"/>'s GitHub as "mona", with every octo/* repository allowed.</summary>
    public async Task ConnectGitHubAsync(string userId)
    {
        var token = $"ghp_{Guid.NewGuid():N}";
        GitHub.AddToken(token, "mona");
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<GitHub.GitHubCredentials>().SaveAsync(userId, token, "mona", ["octo/*"], TestContext.Current.CancellationToken);
    }

    /// <summary>Sends <paramref name="call"/> over RabbitMQ, as chat-api does, and returns the answer.</summary>
    public async Task<ToolCallExecuted> ExecuteAsync(ExecuteToolCall call)
    {
        var client = Services.GetRequiredService<IBus>().CreateRequestClient<ExecuteToolCall>(Queues.Address(ToolExecutionQueues.ExecuteToolCall), RequestTimeout.After(s: 30));
        var response = await client.GetResponse<ToolCallExecuted>(call, TestContext.Current.CancellationToken);
        return response.Message;
    }

    /// <summary>Sends a <see cref="PreviewToolCall"/> over RabbitMQ, as chat-api does before asking for an approval.</summary>
    public async Task<ToolCallPreview> PreviewAsync(ExecuteToolCall call)
    {
        var client = Services.GetRequiredService<IBus>().CreateRequestClient<PreviewToolCall>(Queues.Address(ToolExecutionQueues.PreviewToolCall), RequestTimeout.After(s: 30));
        var response = await client.GetResponse<ToolCallPreview>(new PreviewToolCall
        {
            UserId = call.UserId,
            AgentId = call.AgentId,
            SessionId = call.SessionId,
            ToolCallId = call.ToolCallId,
            ToolName = call.ToolName,
            ArgumentsJson = call.ArgumentsJson,
        }, TestContext.Current.CancellationToken);
        return response.Message;
    }

    public static ExecuteToolCall Call(string userId, Guid agentId, string tool, string argumentsJson, string? approvedBy = null, int callsThisTurn = 0, Guid? sessionId = null) => new()
    {
        UserId = userId,
        AgentId = agentId,
        TemplateId = "code-assistant",
        SessionId = sessionId ?? Guid.NewGuid(),
        ToolCallId = $"call_{Guid.NewGuid():N}",
        ToolName = tool,
        ArgumentsJson = argumentsJson,
        ApprovedBy = approvedBy,
        CallsThisTurn = callsThisTurn,
    };

    public static string NewUser() => $"user-{Guid.NewGuid():N}"[..17];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("OTEL_SERVICE_NAME", _name);
        builder.UseSetting("Messaging:QueuePrefix", $"{_name}-");
        builder.UseSetting("Auth:DevSigningKey", SigningKey);
        builder.UseSetting("ConnectionStrings:toolsdb", _database);
        builder.UseSetting("ConnectionStrings:redis", infrastructure.RedisConnectionString);
        builder.UseSetting("ConnectionStrings:messaging", infrastructure.RabbitMqConnectionString);
        builder.UseSetting("GitHub:ApiBaseUrl", GitHub.BaseUrl);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}
