using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>Chat through the gateway, with agent-management, tool-execution, memory-sync and LettaDev all real.</summary>
public class ChatEndToEndTests(EndToEndPlatform platform)
{
    private const string Template = "code-assistant";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendMessage_PlainText_RepliesThroughTheGateway()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        var sessionId = await CreateSessionAsync(client);

        using var response = await client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "Hello there" }, Token);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("completed", body!["status"]!.GetValue<string>());
        Assert.Contains(body["events"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "assistant"
            && e["text"]!.GetValue<string>().Contains("You said: \"Hello there\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StreamMessage_PlainText_EventsArriveInOrderWithIds()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        var sessionId = await CreateSessionAsync(client);

        var events = await StreamAsync(client, $"/api/chat/sessions/{sessionId}/messages/stream", new { content = "Tell me something" });

        // memory_updated is relayed whenever memory-sync reports (here: the new agent's initial blocks),
        // so it may come first; the turn's own events keep their order.
        var turn = TurnEvents(events);
        Assert.Equal("reasoning", turn[0].Type);
        Assert.Equal(["usage", "done"], turn.TakeLast(2).Select(e => e.Type));
        Assert.Contains("You said", string.Concat(events.Where(e => e.Type == "assistant").Select(e => e.Str("text"))), StringComparison.Ordinal);
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.Id)));
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task StreamMessage_ListMyTasks_ToolExecutionRunsQueryTasksOverTheBroker()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        using (var created = await client.PostAsJsonAsync("/api/tasks", new { title = "Write the e2e report" }, Token))
        {
            Assert.True(created.IsSuccessStatusCode, $"create task: {(int)created.StatusCode}");
        }

        var sessionId = await CreateSessionAsync(client);
        var events = await StreamAsync(client, $"/api/chat/sessions/{sessionId}/messages/stream", new { content = "list my tasks" });

        var call = Assert.Single(events, e => e.Type == "tool_call");
        Assert.Equal("query_tasks", call.Str("name"));
        var result = Assert.Single(events, e => e.Type == "tool_result");
        Assert.Equal("success", result.Str("status"));
        Assert.Contains("Write the e2e report", result.Str("result"), StringComparison.Ordinal);
        Assert.Contains("Write the e2e report", string.Concat(events.Where(e => e.Type == "assistant").Select(e => e.Str("text"))), StringComparison.Ordinal);
        var audit = await client.GetFromJsonAsync<JsonNode>($"/api/tool-executions?sessionId={sessionId}", Token);
        Assert.Contains(call.Str("toolCallId"), audit!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamMessage_CreatePullRequest_StopsForApprovalAndADenialReachesTheAgent()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        var sessionId = await CreateSessionAsync(client);

        var events = await StreamAsync(client, $"/api/chat/sessions/{sessionId}/messages/stream",
            new { content = "open a pull request in octo/hello from feature to main: Add greeting" });
        var approval = Assert.Single(events, e => e.Type == "approval_required");
        Assert.Equal("create_pull_request", approval.Str("name"));
        Assert.Equal("awaiting_approval", TurnEvents(events)[^1].Str("status"));

        var denied = await StreamAsync(client, $"/api/chat/sessions/{sessionId}/approvals/stream",
            new { toolCallId = approval.Str("toolCallId"), approve = false, reason = "not now" });

        Assert.Equal("denied", Assert.Single(denied, e => e.Type == "tool_result").Str("status"));
        Assert.Contains("not now", string.Concat(denied.Where(e => e.Type == "assistant").Select(e => e.Str("text"))), StringComparison.Ordinal);
        Assert.Equal("completed", TurnEvents(denied)[^1].Str("status"));
    }

    [Fact]
    public async Task AnswerApproval_CreatePullRequestApproved_CreatesItOnGitHubAndAuditsTheApprover()
    {
        var userId = $"e2e-{Guid.NewGuid():N}";
        var repository = $"octo/hello-{Guid.NewGuid():N}"[..20];
        using var client = await platform.CreateUserClientAsync(userId, Token);
        var githubToken = $"ghp_{Guid.NewGuid():N}{Guid.NewGuid():N}"[..40];
        platform.GitHub.AddToken(githubToken, "mona");
        using (var connected = await client.PutAsJsonAsync("/api/integrations/github", new { token = githubToken, allowedRepositories = new[] { repository } }, Token))
        {
            Assert.True(connected.StatusCode == HttpStatusCode.NoContent, $"connect GitHub: {(int)connected.StatusCode} {await connected.Content.ReadAsStringAsync(Token)}");
        }

        var sessionId = await CreateSessionAsync(client);
        var events = await StreamAsync(client, $"/api/chat/sessions/{sessionId}/messages/stream",
            new { content = $"open a pull request in {repository} from feature to main: Add greeting" });
        var approval = Assert.Single(events, e => e.Type == "approval_required");
        Assert.DoesNotContain(platform.GitHub.PullRequests, pr => pr.Repository == repository);

        using var approved = await client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/approvals",
            new { toolCallId = approval.Str("toolCallId"), approve = true }, Token);
        var body = await approved.Content.ReadFromJsonAsync<JsonObject>(Token);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.True(platform.GitHub.PullRequests.Count(pr => pr.Repository == repository) == 1,
            $"one pull request in {repository} after the approval; the approval answered: {body?.ToJsonString()}");
        var created = platform.GitHub.PullRequests.Single(pr => pr.Repository == repository).Body;
        Assert.Equal("feature", created["head"]!.GetValue<string>());
        Assert.Equal("main", created["base"]!.GetValue<string>());
        Assert.Equal("Add greeting", created["title"]!.GetValue<string>());
        var result = Assert.Single(body!["events"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "tool_result")!;
        Assert.Equal("success", result["status"]!.GetValue<string>());
        Assert.Contains("pull/42", result["result"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("pull/42", string.Concat(body["events"]!.AsArray()
            .Where(e => e!["type"]!.GetValue<string>() == "assistant").Select(e => e!["text"]!.GetValue<string>())), StringComparison.Ordinal);
        Assert.Equal("completed", body["status"]!.GetValue<string>());
        var audit = await client.GetFromJsonAsync<JsonObject>($"/api/tool-executions?sessionId={sessionId}", Token);
        var entry = Assert.Single(audit!["items"]!.AsArray(), e => e!["toolCallId"]!.GetValue<string>() == approval.Str("toolCallId"))!;
        Assert.Equal("create_pull_request", entry["tool"]!.GetValue<string>());
        Assert.Equal(userId, entry["approvedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamMessage_Remember_ProducesAMemoryToolCall()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        var sessionId = await CreateSessionAsync(client);

        var events = await StreamAsync(client, $"/api/chat/sessions/{sessionId}/messages/stream", new { content = "remember that I prefer tabs" });

        var call = Assert.Single(events, e => e.Type == "tool_call");
        Assert.Equal("memory_insert", call.Str("name"));
        Assert.Contains("tabs", call.Str("arguments"), StringComparison.Ordinal);
        Assert.Equal("completed", TurnEvents(events)[^1].Str("status"));
    }

    [Fact]
    public async Task FollowTurn_ReconnectWithLastEventId_LosesNothing()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        var sessionId = await CreateSessionAsync(client);
        var all = TurnEvents(await StreamAsync(client, $"/api/chat/sessions/{sessionId}/messages/stream", new { content = "list my tasks" }));
        var cut = all.Count / 2;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/chat/sessions/{sessionId}/stream");
        request.Headers.Add("Last-Event-ID", all[cut - 1].Id);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        var rest = TurnEvents(Parse(await response.Content.ReadAsStringAsync(Token)));

        Assert.Equal(all.Skip(cut).Select(e => e.Id), rest.Select(e => e.Id));
    }

    [Fact]
    public async Task SendMessage_WhileATurnRuns_Answers409()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        using var created = await client.PostAsJsonAsync("/api/chat/sessions", new { templateId = Template }, Token);
        var session = (await created.Content.ReadFromJsonAsync<JsonObject>(Token))!;
        var agent = await client.GetFromJsonAsync<JsonObject>($"/api/agents/{session["agentId"]}", Token);
        await platform.ScriptLettaAgentAsync(agent!["lettaAgentId"]!.GetValue<string>(),
            """[{"type":"tool_call","name":"query_tasks","arguments":{}},{"type":"delay","ms":1500},{"type":"assistant","text":"slow answer"}]""", Token);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/sessions/{session["id"]}/messages/stream") { Content = JsonContent.Create(new { content = "take your time" }) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Token));
        while (await reader.ReadLineAsync(Token) is { } line && line != "event: tool_result")
        {
        }

        using var second = await client.PostAsJsonAsync($"/api/chat/sessions/{session["id"]}/messages", new { content = "me too" }, Token);
        var problem = await second.Content.ReadFromJsonAsync<JsonObject>(Token);
        var rest = Parse(await reader.ReadToEndAsync(Token));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("turn_in_progress", problem!["code"]!.GetValue<string>());
        Assert.Equal("completed", TurnEvents(rest)[^1].Str("status"));
    }

    [Fact]
    public async Task AnotherUsersSession_EveryRoute_Answers404()
    {
        using var alice = await platform.CreateUserClientAsync($"alice-{Guid.NewGuid():N}", Token);
        using var bob = await platform.CreateUserClientAsync($"bob-{Guid.NewGuid():N}", Token);
        var sessionId = await CreateSessionAsync(alice);
        var routes = new (HttpMethod Method, string Suffix)[]
        {
            (HttpMethod.Get, ""), (HttpMethod.Patch, ""), (HttpMethod.Delete, ""), (HttpMethod.Get, "/messages"),
            (HttpMethod.Post, "/messages"), (HttpMethod.Post, "/messages/stream"), (HttpMethod.Post, "/approvals"),
            (HttpMethod.Post, "/approvals/stream"), (HttpMethod.Get, "/stream"),
        };

        foreach (var (method, suffix) in routes)
        {
            using var request = new HttpRequestMessage(method, $"/api/chat/sessions/{sessionId}{suffix}");
            if (method == HttpMethod.Post || method == HttpMethod.Patch)
            {
                request.Content = JsonContent.Create(new { content = "hi", title = "mine", toolCallId = "call_x", approve = true });
            }

            using var response = await bob.SendAsync(request, Token);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {suffix}: {(int)response.StatusCode}");
        }
    }

    private static async Task<string> CreateSessionAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/chat/sessions", new { templateId = Template }, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create session: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private static Task<List<StreamEvent>> StreamAsync(HttpClient client, string path, object body) => ChatStream.PostAsync(client, path, body, Token);

    private static List<StreamEvent> TurnEvents(List<StreamEvent> events) => ChatStream.TurnEvents(events);

    private static List<StreamEvent> Parse(string text) => ChatStream.Parse(text);
}
