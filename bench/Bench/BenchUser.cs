using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.Bench;

/// <summary>
/// One benchmark user: a code-assistant chat session on the platform, reached through the gateway and at chat-api
/// itself, and a conversation of their own on the same Letta agent for the direct measurements.
/// </summary>
public sealed class BenchUser
{
    private BenchUser(AgentOfUser agent, ITurnTarget direct, ITurnTarget gateway, ITurnTarget chatApi, HttpClient gatewayHttp, HttpClient toolExecution)
    {
        Agent = agent;
        Direct = direct;
        Gateway = gateway;
        ChatApi = chatApi;
        GatewayHttp = gatewayHttp;
        ToolExecution = toolExecution;
    }

    /// <summary>The user's code-assistant agent: who owns it, its platform id, and its Letta agent.</summary>
    public AgentOfUser Agent { get; }
    public ITurnTarget Direct { get; }
    public ITurnTarget Gateway { get; }
    public ITurnTarget ChatApi { get; }
    public HttpClient GatewayHttp { get; }
    public HttpClient ToolExecution { get; }

    public ITurnTarget Target(string name) => name switch
    {
        "direct" => Direct,
        "gateway" => Gateway,
        "chat-api" => ChatApi,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static async Task<BenchUser> CreateAsync(PlatformFixture platform, int index, CancellationToken cancellationToken)
    {
        var userId = $"bench-{index}-{Guid.NewGuid():N}"[..24];
        var gateway = await platform.CreateUserClientAsync(userId, cancellationToken);
        using var created = await gateway.PostAsJsonAsync("/api/chat/sessions", new { templateId = "code-assistant" }, cancellationToken);
        var session = await created.Content.ReadFromJsonAsync<JsonObject>(cancellationToken)
            ?? throw new InvalidOperationException("No session was created.");
        if (!created.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating a session answered {(int)created.StatusCode}: {session.ToJsonString()}");
        }

        var sessionId = session["id"]!.GetValue<string>();
        var agentId = session["agentId"]!.GetValue<string>();
        var agent = await gateway.GetFromJsonAsync<JsonObject>($"/api/agents/{agentId}", cancellationToken);
        var lettaAgentId = agent!["lettaAgentId"]!.GetValue<string>();
        var letta = platform.CreateLettaClient();
        using var conversation = await letta.PostAsJsonAsync($"v1/conversations/?agent_id={lettaAgentId}", new { }, cancellationToken);
        conversation.EnsureSuccessStatusCode();
        var conversationId = (await conversation.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["id"]!.GetValue<string>();

        var chatApi = DirectClient(platform.ReplicaUrls("chat-api")[0], gateway.DefaultRequestHeaders.Authorization);
        var toolExecution = DirectClient(platform.ReplicaUrls("tool-execution-api")[0], gateway.DefaultRequestHeaders.Authorization);
        return new BenchUser(
            new AgentOfUser(userId, Guid.Parse(agentId), lettaAgentId),
            new DirectLetta(letta, conversationId),
            new PlatformChat("gateway", gateway, sessionId),
            new PlatformChat("chat-api", chatApi, sessionId),
            gateway,
            toolExecution);
    }

    private static HttpClient DirectClient(Uri address, AuthenticationHeaderValue? authorization)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }
}

public sealed record AgentOfUser(string UserId, Guid AgentId, string LettaAgentId);
