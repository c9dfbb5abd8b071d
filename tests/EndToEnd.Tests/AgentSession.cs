using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>
/// One person's chat with one of their agents, through the gateway: start it from a template, connect
/// GitHub, say something, approve or deny what waits, read what the agent said and what the audit ledger
/// recorded. Each turn's events are kept as a <see cref="Turn"/>. A small shape on purpose, so these tests
/// can move onto the agent test kit (LettaPlatform.Testing) when it exists.
/// </summary>
public sealed class AgentSession(HttpClient client, string userId, string sessionId) : IDisposable
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public string UserId => userId;

    public string SessionId => sessionId;

    public HttpClient Client => client;

    /// <summary>A new user (a dev token from the gateway) with a new chat with their agent of <paramref name="templateId"/>.</summary>
    public static async Task<AgentSession> StartAsync(PlatformFixture platform, string templateId)
    {
        var userId = $"e2e-{Guid.NewGuid():N}";
        var client = await platform.CreateUserClientAsync(userId, Token);
        using var response = await client.PostAsJsonAsync("/api/chat/sessions", new { templateId }, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create session: {(int)response.StatusCode} {body}");
        return new AgentSession(client, userId, JsonNode.Parse(body)!["id"]!.GetValue<string>());
    }

    /// <summary>Connects a GitHub token (registered at the platform's GitHub stand-in as <paramref name="login"/>) allowing <paramref name="repositories"/>.</summary>
    public async Task ConnectGitHubAsync(FakeGitHub github, string login, params string[] repositories)
    {
        var token = $"ghp_{Guid.NewGuid():N}{Guid.NewGuid():N}"[..40];
        github.AddToken(token, login);
        using var response = await client.PutAsJsonAsync("/api/integrations/github", new { token, allowedRepositories = repositories }, Token);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"connect GitHub: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Token)}");
    }

    public async Task<Turn> SayAsync(string message) =>
        new(await ChatStream.PostAsync(client, $"/api/chat/sessions/{sessionId}/messages/stream", new { content = message }, Token));

    public async Task<Turn> ApproveAsync(StreamEvent approval) =>
        new(await ChatStream.PostAsync(client, $"/api/chat/sessions/{sessionId}/approvals/stream", new { toolCallId = approval.Str("toolCallId"), approve = true }, Token));

    /// <summary>The session as the page loads it (with <c>pendingApproval</c>).</summary>
    public async Task<JsonObject> GetAsync() => (await client.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}", Token))!;

    /// <summary>The audit ledger of this chat, oldest first.</summary>
    public async Task<List<JsonObject>> AuditAsync() =>
        [.. (await client.GetFromJsonAsync<JsonObject>($"/api/tool-executions?sessionId={sessionId}", Token))!["items"]!.AsArray()
            .Select(e => e!.AsObject()).Reverse()];

    public void Dispose() => client.Dispose();
}

/// <summary>The events of one turn, with what a test usually asks of them.</summary>
public sealed record Turn(List<StreamEvent> Events)
{
    /// <summary>What the agent said (its assistant text).</summary>
    public string Reply => string.Concat(Events.Where(e => e.Type == "assistant").Select(e => e.Str("text")));

    public IEnumerable<StreamEvent> ToolCalls => Events.Where(e => e.Type == "tool_call");

    /// <summary>The result of the call of <paramref name="tool"/> (its only call in the turn).</summary>
    public StreamEvent ResultOf(string tool) => ResultOf(Assert.Single(ToolCalls, e => e.Str("name") == tool));

    /// <summary>The result of <paramref name="call"/> (a tool_call or approval_required event, of this turn or the one it answers).</summary>
    public StreamEvent ResultOf(StreamEvent call) => Assert.Single(Events, e => e.Type == "tool_result" && e.Str("toolCallId") == call.Str("toolCallId"));

    /// <summary>The call that waits for the person's answer; the turn ended for it.</summary>
    public StreamEvent Approval
    {
        get
        {
            Assert.Equal("awaiting_approval", ChatStream.TurnEvents(Events)[^1].Str("status"));
            return Assert.Single(Events, e => e.Type == "approval_required");
        }
    }

    /// <summary>How the turn ended (<c>completed</c>, <c>awaiting_approval</c>…).</summary>
    public string Status => ChatStream.TurnEvents(Events)[^1].Str("status");
}
