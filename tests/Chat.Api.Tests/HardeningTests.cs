using System.Text;

namespace LettaPlatform.Chat.Api.Tests;

/// <summary>
/// Bad input never reaches the database or Letta (a 400 problem, nothing written), long subjects work,
/// and a turn whose outcome is saved answers its result even when Redis (the event buffer) is lost mid-turn.
/// </summary>
public sealed class HardeningTests(ChatFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"content":"hello\u0000world"}""")]
    [InlineData("""{"content":"\ud800"}""")]
    [InlineData("""{"content":5}""")]
    [InlineData("""[]""")]
    [InlineData("""{""")]
    public async Task SendMessage_UnstorableOrMalformedContent_Answers400AndSavesNothing(string body)
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();

        using var response = await client.Http.PostAsync($"/api/chat/sessions/{sessionId}/messages", Json(body), Token);
        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Empty(history!["items"]!.AsArray());
    }

    [Theory]
    [InlineData("POST", "", """{"templateId":"assistant","title":"a\u0000b"}""")]
    [InlineData("PATCH", "/{id}", """{"title":"a\u0000b"}""")]
    [InlineData("POST", "/{id}/approvals", """{"toolCallId":"x","approve":"true"}""")]
    [InlineData("POST", "/{id}/approvals", """{"toolCallId":"x\u0000","approve":true}""")]
    public async Task SessionWrites_BadBodies_Answer400AndChangeNothing(string method, string path, string body)
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();
        var before = await client.Http.GetStringAsync("/api/chat/sessions", Token);

        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/chat/sessions" + path.Replace("{id}", sessionId)) { Content = Json(body) };
        using var response = await client.Http.SendAsync(request, Token);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await client.Http.GetStringAsync("/api/chat/sessions", Token));
    }

    [Theory]
    [InlineData("/messages", """{"content":"   "}""", "content")]
    [InlineData("/messages", """{}""", "content")]
    [InlineData("/approvals", """{"toolCallId":"call_1"}""", "approve")]
    [InlineData("/approvals", """{"approve":true}""", "toolCallId")]
    public async Task Turn_RequestBreakingItsDeclaredRules_Answers400ListingTheField(string path, string body, string field)
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();

        using var response = await client.Http.PostAsync($"/api/chat/sessions/{sessionId}{path}", Json(body), Token);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("validation_failed", problem["code"]!.GetValue<string>());
        Assert.Equal("The request is not valid", problem["title"]!.GetValue<string>());
        Assert.Contains(field, problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("limit=1.5")]
    [InlineData("limit=2147483648")]
    [InlineData("limit=1&limit=2")]
    [InlineData("limit=0")]
    [InlineData("cursor=not-a-cursor")]
    public async Task ListMessages_BadQuery_Answers400Problem(string query)
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();

        using var response = await client.Http.GetAsync($"/api/chat/sessions/{sessionId}/messages?{query}", Token);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Turn_SubjectOf255Characters_CreatesSessionAndSavesTheTurn()
    {
        var userId = new string('x', 200) + Guid.NewGuid().ToString("N")[..20] + new string('y', 35);
        using var client = new ChatClient(fixture.Chat.CreateClientFor(userId));

        var sessionId = await client.CreateSessionIdAsync();
        var turn = await client.SendAsync(sessionId, "hello");
        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);

        Assert.Equal(255, userId.Length);
        Assert.Equal("completed", turn["status"]!.GetValue<string>());
        Assert.Contains(history!["items"]!.AsArray(), m => m!["role"]!.GetValue<string>() == "user");
    }

    [Fact]
    public async Task SendMessage_RedisLostMidTurn_AnswersTheSavedResultAndResumeIsAClearProblem()
    {
        await using var relay = TcpRelay.InFrontOfRedis(fixture.Infrastructure.RedisConnectionString);
        await using var chat = fixture.CreateChat(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = relay.RedisConnectionString });
        await chat.StartAsync();
        var userId = $"user-{Guid.NewGuid():N}";
        using var client = new ChatClient(chat.CreateClientFor(userId));
        var sessionId = await client.CreateSessionIdAsync();
        fixture.StandIns.BeforeToolCall[userId] = relay.Cut;

        using var response = await client.Http.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "list my tasks" }, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);
        using var resume = await client.Http.GetAsync($"/api/chat/sessions/{sessionId}/stream", Token);

        Assert.False(fixture.StandIns.BeforeToolCall.ContainsKey(userId), "the tool call (and so the cut) never happened");
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var turn = JsonNode.Parse(body)!;
        Assert.Equal("completed", turn["status"]!.GetValue<string>());
        Assert.Contains(turn["events"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "tool_result");
        var items = history!["items"]!.AsArray();
        Assert.Single(items, m => m!["role"]!.GetValue<string>() == "user" && m["content"]!.GetValue<string>() == "list my tasks");
        Assert.Contains(items, m => m!["role"]!.GetValue<string>() == "assistant");
        var problem = await AssertProblemAsync(resume, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("turn_events_unavailable", problem["code"]!.GetValue<string>());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.False(string.IsNullOrWhiteSpace(problem["code"]?.GetValue<string>()), text);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), text);
        return problem;
    }
}

/// <summary>Tool calls refused inside chat-api, and a person's denial, are published for the audit ledger.</summary>
public sealed class RefusalAuditTests(ChatFixture fixture)
{
    [Fact]
    public async Task ToolCallOverThePerTurnLimit_IsRefusedAndPublishedForTheLedger()
    {
        await using var chat = fixture.CreateChat(new Dictionary<string, string?> { ["Chat:MaxToolCallsPerTurn"] = "1" });
        await chat.StartAsync();
        var userId = $"user-{Guid.NewGuid():N}";
        using var client = new ChatClient(chat.CreateClientFor(userId));
        var sessionId = await client.CreateSessionIdAsync();
        await fixture.Letta.ScriptAsync(fixture.StandIns.Agents[(userId, StandIns.Template)].LettaAgentId,
            """[{"type":"tool_call","name":"query_tasks","arguments":{}},{"type":"tool_call","name":"query_tasks","arguments":{"status":"done"}},{"type":"assistant","text":"enough"}]""");

        var turn = await client.SendAsync(sessionId, "list everything");

        var refusal = await Eventually.GetAsync(() => fixture.StandIns.Refusals.FirstOrDefault(r => r.UserId == userId));
        Assert.Equal(("query_tasks", Contracts.Chat.ToolCallRefusals.TurnLimitExceeded, Guid.Parse(sessionId)), (refusal.ToolName, refusal.Reason, refusal.SessionId));
        Assert.Null(refusal.DecidedBy);
        Assert.Equal("completed", turn["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task PersonDeniesApproval_DenialIsPublishedForTheLedgerOnce()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        using var client = new ChatClient(fixture.Chat.CreateClientFor(userId));
        var sessionId = await client.CreateSessionIdAsync();
        var first = await client.SendAsync(sessionId, "open a pull request in octo/hello from feature to main: Add greeting");
        var toolCallId = first["events"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "approval_required")!["toolCallId"]!.GetValue<string>();

        await client.AnswerAsync(sessionId, toolCallId, approve: false, reason: "not today");

        var refusal = await Eventually.GetAsync(() => fixture.StandIns.Refusals.FirstOrDefault(r => r.ToolCallId == toolCallId));
        Assert.Equal((Contracts.Chat.ToolCallRefusals.DeniedByUser, userId, "create_pull_request"), (refusal.Reason, refusal.DecidedBy, refusal.ToolName));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Single(fixture.StandIns.Refusals, r => r.ToolCallId == toolCallId);
    }
}
