using System.Collections.Concurrent;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.Chat;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LettaPlatform.Chat.Api.Tests.TestHost;

/// <summary>
/// Tiny stand-ins for agent-management (<c>ResolveAgent</c>) and tool-execution (<c>ExecuteToolCall</c>,
/// <c>GetToolCatalog</c>), answering over the real RabbitMQ on queues of their own, plus a recorder of
/// <c>ChatTurnCompleted</c>. The real services are tested in their own projects and end to end; here only
/// their message contracts matter. Agents are created for real in LettaDev.
/// </summary>
public sealed class StandIns(LettaDevServer letta)
{
    public const string Template = "assistant";

    /// <summary>A template whose agents live on a Letta instance nobody listens on.</summary>
    public const string UnreachableTemplate = "unreachable";

    /// <summary>Templates whose agents may hand off (chat-api's default <c>Chat:HandOffTemplates</c>); their agents live in LettaDev too.</summary>
    public const string TaskManager = "task-manager";
    public const string CodeAssistant = "code-assistant";

    /// <summary>The stand-in guard's hand-off depth limit (tool-execution's default <c>ToolExecution:MaxHandOffDepth</c>).</summary>
    public const int MaxHandOffDepth = 2;

    public const string TasksResult = """[{"id":"task-1","title":"Write the quarterly report","status":"todo"}]""";

    private readonly SemaphoreSlim _create = new(1, 1);

    public ConcurrentDictionary<(string UserId, string TemplateId), AgentResolved> Agents { get; } = new();

    /// <summary>Agents whose re-resolve after Letta lost them is answered "runtime unavailable", as while Letta cannot be reached.</summary>
    public ConcurrentDictionary<Guid, bool> RuntimeUnavailable { get; } = new();

    public ConcurrentQueue<ExecuteToolCall> ToolCalls { get; } = new();

    public ConcurrentQueue<ChatTurnCompleted> CompletedTurns { get; } = new();

    public ConcurrentQueue<ToolCallRefused> Refusals { get; } = new();

    public static IReadOnlyList<AgentTool> Tools { get; } =
    [
        new AgentTool { Name = "query_tasks", RequiresApproval = false },
        new AgentTool { Name = "create_pull_request", RequiresApproval = true },
        new AgentTool { Name = "propose_documentation_change", RequiresApproval = true },
    ];

    /// <summary>The diff the preview stand-in shows for a proposed change (to any repository but octo/secret and octo/silent).</summary>
    public const string PreviewDiff = "--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-# Hello\n+# Hello, world\n";

    public static ToolCatalog Catalog { get; } = new()
    {
        Tools =
        [
            new ToolCatalogEntry
            {
                Name = "query_tasks",
                Description = "Lists the user's tasks.",
                ParametersJson = """{"type":"object","properties":{"status":{"type":"string"}}}""",
                Risk = "read",
                RequiresApproval = false,
            },
            new ToolCatalogEntry
            {
                Name = "create_pull_request",
                Description = "Opens a pull request.",
                ParametersJson = """{"type":"object","properties":{"repository":{"type":"string"},"head":{"type":"string"},"base":{"type":"string"},"title":{"type":"string"}},"required":["repository","head","base","title"]}""",
                Risk = "write",
                RequiresApproval = true,
            },
            new ToolCatalogEntry
            {
                Name = "propose_documentation_change",
                Description = "Proposes a documentation change as a pull request.",
                ParametersJson = """{"type":"object","properties":{"repository":{"type":"string"},"title":{"type":"string"},"files":{"type":"array"}},"required":["repository","title","files"]}""",
                Risk = "write",
                RequiresApproval = true,
                Preview = ToolPreviewKinds.Diff,
            },
            new ToolCatalogEntry
            {
                Name = HandOffTool.Name,
                Description = "Hands a request to another of the user's agents and returns its answer.",
                ParametersJson = """{"type":"object","properties":{"agent":{"type":"string","enum":["code-assistant","task-manager","documentation"]},"request":{"type":"string"}},"required":["agent","request"]}""",
                Risk = "read",
                RequiresApproval = false,
            },
        ],
    };

    public ConcurrentQueue<PreviewToolCall> Previews { get; } = new();

    /// <summary>tool-execution's answer to a preview: a diff, a refusal for octo/secret, none at all for octo/silent (the caller times out).</summary>
    public ToolCallPreview? Preview(PreviewToolCall call)
    {
        Previews.Enqueue(call);
        return call.ArgumentsJson.Contains("octo/silent", StringComparison.Ordinal) ? null
            : call.ArgumentsJson.Contains("octo/secret", StringComparison.Ordinal)
                ? new ToolCallPreview { ToolCallId = call.ToolCallId, Available = false, Note = "The call will be refused (repository_not_allowed)." }
                : new ToolCallPreview { ToolCallId = call.ToolCallId, Available = true, Kind = ToolPreviewKinds.Diff, Text = PreviewDiff, Note = "Against main: 1 changed file." };
    }

    public async Task<AgentResolved?> ResolveAsync(ResolveAgent request)
    {
        if (request.AgentId is { } agentId)
        {
            var known = Agents.FirstOrDefault(a => a.Value.AgentId == agentId && a.Value.UserId == request.UserId);
            if (known.Value is null || !request.LettaAgentMissing)
            {
                return known.Value;
            }

            // What agent-management does for an agent Letta lost: provision it again under the same id.
            var reprovisioned = known.Value with { LettaAgentId = await CreateLettaAgentAsync(request.UserId, known.Value.TemplateId) };
            Agents[known.Key] = reprovisioned;
            return reprovisioned;
        }

        if (request.TemplateId is not (Template or UnreachableTemplate or TaskManager or CodeAssistant))
        {
            return null;
        }

        await _create.WaitAsync();
        try
        {
            var key = (request.UserId, request.TemplateId);
            if (Agents.TryGetValue(key, out var existing))
            {
                return existing;
            }

            var lettaAgentId = request.TemplateId != UnreachableTemplate
                ? await CreateLettaAgentAsync(request.UserId, request.TemplateId)
                : "agent-00000000-0000-4000-8000-000000000000";

            var agent = new AgentResolved
            {
                AgentId = Guid.NewGuid(),
                UserId = request.UserId,
                TemplateId = request.TemplateId,
                TemplateVersion = 1,
                LettaInstance = request.TemplateId != UnreachableTemplate ? "letta" : "down",
                LettaAgentId = lettaAgentId,
                Tools = Tools,
            };
            Agents[key] = agent;
            return agent;
        }
        finally
        {
            _create.Release();
        }
    }

    public async Task<string> CreateLettaAgentAsync(string userId, string templateId)
    {
        using var response = await letta.Http.PostAsJsonAsync("/v1/agents/", new
        {
            name = $"{userId}-{templateId}",
            memory_blocks = new object[]
            {
                new { label = "persona", value = "I am a helpful test assistant." },
                new { label = "human", value = $"Name: {userId}" },
            },
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>Run once, just before the next tool call of that user is answered (for fault tests).</summary>
    public ConcurrentDictionary<string, Action> BeforeToolCall { get; } = new();

    public async Task<ToolCallExecuted> ExecuteAsync(ExecuteToolCall call)
    {
        ToolCalls.Enqueue(call);
        if (BeforeToolCall.TryRemove(call.UserId, out var hook))
        {
            hook();
        }

        if (call.ToolName == HandOffTool.Name)
        {
            return await HandOffAsync(call);
        }

        return new ToolCallExecuted
        {
            ToolCallId = call.ToolCallId,
            ToolName = call.ToolName,
            Status = ToolCallStatus.Success,
            Result = call.ToolName == "query_tasks" ? TasksResult : """{"number":7,"url":"https://github.test/octo/hello/pull/7"}""",
            DurationMs = 3,
        };
    }

    /// <summary>What tool-execution's guard answers an <c>ask_agent</c> call: the user's agent of the named template, within the depth limit.</summary>
    private async Task<ToolCallExecuted> HandOffAsync(ExecuteToolCall call)
    {
        var template = JsonNode.Parse(call.ArgumentsJson)?["agent"]?.GetValue<string>() ?? "";
        var depth = call.HandOff?.Depth ?? 0;
        var target = depth >= MaxHandOffDepth ? null : await ResolveAsync(new ResolveAgent { UserId = call.UserId, TemplateId = template });
        return new ToolCallExecuted
        {
            ToolCallId = call.ToolCallId,
            ToolName = call.ToolName,
            Status = target is null ? ToolCallStatus.Denied : ToolCallStatus.Success,
            Result = target is null
                ? new JsonObject
                {
                    ["status"] = "denied",
                    ["error"] = new JsonObject { ["code"] = depth >= MaxHandOffDepth ? "handoff_depth_exceeded" : "agent_not_found", ["message"] = "No hand-off from here." },
                }.ToJsonString()
                : new JsonObject
                {
                    ["status"] = "success",
                    ["data"] = new JsonObject { ["agent_id"] = target.AgentId.ToString(), ["template_id"] = target.TemplateId, ["depth"] = depth + 1 },
                }.ToJsonString(),
            DurationMs = 1,
        };
    }

    /// <summary>Starts the stand-ins on their own bus; their queues start with <paramref name="prefix"/>, as chat-api's do.</summary>
    public async Task<IHost> StartAsync(string rabbitMq, string prefix)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = $"{prefix}stand-ins",
            ["ConnectionStrings:messaging"] = rabbitMq,
            ["Messaging:QueuePrefix"] = prefix,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddSingleton(this);
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<ResolveAgentStandIn, ResolveAgentStandInDefinition>();
            bus.AddConsumer<ExecuteToolCallStandIn, ExecuteToolCallStandInDefinition>();
            bus.AddConsumer<ToolCatalogStandIn, ToolCatalogStandInDefinition>();
            bus.AddConsumer<PreviewToolCallStandIn, PreviewToolCallStandInDefinition>();
            bus.AddEventConsumer<TurnCompletedRecorder>();
            bus.AddEventConsumer<ToolCallRefusedRecorder>();
        });
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return host;
    }
}

public sealed class ResolveAgentStandIn(StandIns standIns) : IConsumer<ResolveAgent>
{
    public async Task Consume(ConsumeContext<ResolveAgent> context)
    {
        if (context.Message is { LettaAgentMissing: true, AgentId: { } agentId } && standIns.RuntimeUnavailable.ContainsKey(agentId))
        {
            await context.RespondAsync(new AgentRuntimeUnavailable { UserId = context.Message.UserId, AgentId = agentId, Reason = "letta_unavailable" });
            return;
        }

        if (await standIns.ResolveAsync(context.Message) is { } agent)
        {
            await context.RespondAsync(agent);
            return;
        }

        await context.RespondAsync(new AgentNotFound { UserId = context.Message.UserId, AgentId = context.Message.AgentId, Reason = "No such agent or template." });
    }
}

public sealed class ExecuteToolCallStandIn(StandIns standIns) : IConsumer<ExecuteToolCall>
{
    public async Task Consume(ConsumeContext<ExecuteToolCall> context) => await context.RespondAsync(await standIns.ExecuteAsync(context.Message));
}

public sealed class ToolCatalogStandIn : IConsumer<GetToolCatalog>
{
    public Task Consume(ConsumeContext<GetToolCatalog> context) => context.RespondAsync(StandIns.Catalog);
}

public sealed class PreviewToolCallStandIn(StandIns standIns) : IConsumer<PreviewToolCall>
{
    public Task Consume(ConsumeContext<PreviewToolCall> context) =>
        standIns.Preview(context.Message) is { } preview ? context.RespondAsync(preview) : Task.CompletedTask;
}

public sealed class TurnCompletedRecorder(StandIns standIns) : IConsumer<ChatTurnCompleted>
{
    public Task Consume(ConsumeContext<ChatTurnCompleted> context)
    {
        standIns.CompletedTurns.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}

public sealed class ToolCallRefusedRecorder(StandIns standIns) : IConsumer<ToolCallRefused>
{
    public Task Consume(ConsumeContext<ToolCallRefused> context)
    {
        standIns.Refusals.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}

// The stand-ins receive on the queues the real services do, so chat-api finds them where it sends.
public sealed class ResolveAgentStandInDefinition(QueueNames queues)
    : RequestConsumerDefinition<ResolveAgentStandIn>(queues, AgentManagementQueues.ResolveAgent);

public sealed class ExecuteToolCallStandInDefinition(QueueNames queues)
    : RequestConsumerDefinition<ExecuteToolCallStandIn>(queues, ToolExecutionQueues.ExecuteToolCall);

public sealed class ToolCatalogStandInDefinition(QueueNames queues)
    : RequestConsumerDefinition<ToolCatalogStandIn>(queues, ToolExecutionQueues.GetToolCatalog);

public sealed class PreviewToolCallStandInDefinition(QueueNames queues)
    : RequestConsumerDefinition<PreviewToolCallStandIn>(queues, ToolExecutionQueues.PreviewToolCall);
