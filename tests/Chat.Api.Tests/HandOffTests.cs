using LettaPlatform.Contracts.ToolExecution;

namespace LettaPlatform.Chat.Api.Tests;

/// <summary>
/// Hand-offs (issue 19): a person's task manager asks their code assistant with <c>ask_agent</c>. The other agent's turn
/// runs in a session of its own linked to the first, its events come nested under the tool card, its answer is the
/// tool's result, a write inside waits for the person's approval on their own session, and the chain shares one budget.
/// </summary>
public sealed class HandOffTests(ChatFixture fixture)
{
    private const string AskForPullRequest = "ask the code assistant to open a pull request in octo/hello from feature to main: Add greeting";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AskAgent_WriteInsideTheHandOff_WaitsForThePersonOnTheirSessionAndApprovingContinuesTheNestedTurn()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        using var client = new ChatClient(fixture.Chat.CreateClientFor(userId));
        var sessionId = await client.CreateSessionIdAsync(StandIns.TaskManager);

        var events = await client.StreamMessageAsync(sessionId, AskForPullRequest);

        var ask = Assert.Single(events, e => e.Type == "tool_call");
        Assert.Equal(HandOffTool.Name, ask.Str("name"));
        var askId = ask.Str("toolCallId");
        Assert.Equal("code-assistant", JsonNode.Parse(ask.Str("arguments"))!["agent"]!.GetValue<string>());
        var started = Assert.Single(events, e => e.Type == "handoff_started");
        Assert.Equal(askId, started.Str("toolCallId"));
        Assert.Equal(1, started.Data["depth"]!.GetValue<int>());
        Assert.Equal(StandIns.CodeAssistant, started.Str("templateId"));
        Assert.Equal("open a pull request in octo/hello from feature to main: Add greeting", started.Str("request"));
        Assert.False(started.Data["resumed"]!.GetValue<bool>());
        var childId = started.Str("sessionId");
        var chainId = started.Str("chainId");

        // The code assistant's own events, nested under the ask_agent card.
        var nested = events.Where(e => e.Type == "handoff_event").ToList();
        Assert.All(nested, e => Assert.Equal(askId, e.Str("toolCallId")));
        Assert.All(nested, e => Assert.Equal(childId, e.Str("sessionId")));
        var innerCall = Assert.Single(nested, e => e.Data["event"]!["type"]!.GetValue<string>() == "tool_call").Data["event"]!;
        Assert.Equal("create_pull_request", innerCall["name"]!.GetValue<string>());
        var prCallId = innerCall["toolCallId"]!.GetValue<string>();

        // The approval reaches the top of the person's stream, saying where it was asked.
        var approval = Assert.Single(events, e => e.Type == "approval_required");
        Assert.Equal(prCallId, approval.Str("toolCallId"));
        Assert.Equal(askId, approval.Data["handOff"]!["parentToolCallId"]!.GetValue<string>());
        Assert.Equal(childId, approval.Data["handOff"]!["sessionId"]!.GetValue<string>());
        Assert.Equal("awaiting_approval", Assert.Single(events, e => e.Type == "handoff_finished").Str("status"));
        Assert.Equal("awaiting_approval", events[^1].Str("status"));
        Assert.DoesNotContain(fixture.StandIns.ToolCalls, c => c.ToolCallId == prCallId);
        var guarded = Assert.Single(fixture.StandIns.ToolCalls, c => c.ToolCallId == askId);
        Assert.Equal(0, guarded.HandOff!.Depth);
        Assert.Equal(chainId, guarded.HandOff.ChainId.ToString());

        // The person sees the approval on their own session; the hand-off's session is linked and read-only.
        var session = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}", Token);
        Assert.Equal(prCallId, session!["pendingApproval"]!["toolCallId"]!.GetValue<string>());
        Assert.Equal(childId, session["pendingApproval"]!["handOffSessionId"]!.GetValue<string>());
        var handOffs = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions?parentSessionId={sessionId}", Token);
        var child = Assert.Single(handOffs!["items"]!.AsArray())!;
        Assert.Equal(childId, child["id"]!.GetValue<string>());
        Assert.Equal(StandIns.CodeAssistant, child["templateId"]!.GetValue<string>());
        Assert.Equal(askId, child["handOff"]!["parentToolCallId"]!.GetValue<string>());
        Assert.Equal(chainId, child["handOff"]!["chainId"]!.GetValue<string>());
        var mine = await client.Http.GetFromJsonAsync<JsonObject>("/api/chat/sessions", Token);
        Assert.DoesNotContain(mine!["items"]!.AsArray(), s => s!["id"]!.GetValue<string>() == childId);
        using (var write = await client.Http.PostAsJsonAsync($"/api/chat/sessions/{childId}/messages", new { content = "hi" }, Token))
        {
            Assert.Equal(HttpStatusCode.Conflict, write.StatusCode);
            Assert.Equal("handoff_session", (await write.Content.ReadFromJsonAsync<JsonObject>(Token))!["code"]!.GetValue<string>());
        }

        var answer = await client.StreamAsync($"/api/chat/sessions/{sessionId}/approvals/stream", new { toolCallId = prCallId, approve = true });

        Assert.True(Assert.Single(answer, e => e.Type == "handoff_started").Data["resumed"]!.GetValue<bool>());
        var innerResult = Assert.Single(answer, e => e.Type == "handoff_event" && e.Data["event"]!["type"]!.GetValue<string>() == "tool_result").Data["event"]!;
        Assert.Equal(prCallId, innerResult["toolCallId"]!.GetValue<string>());
        Assert.Equal("success", innerResult["status"]!.GetValue<string>());
        var finished = Assert.Single(answer, e => e.Type == "handoff_finished");
        Assert.Equal("completed", finished.Str("status"));
        Assert.Contains("I opened pull request #7", finished.Str("answer"), StringComparison.Ordinal);
        var askResult = Assert.Single(answer, e => e.Type == "tool_result");
        Assert.Equal(askId, askResult.Str("toolCallId"));
        Assert.Equal("success", askResult.Str("status"));
        Assert.Contains("The code assistant answered: I opened pull request #7", string.Concat(answer.Where(e => e.Type == "assistant").Select(e => e.Str("text"))), StringComparison.Ordinal);
        Assert.Equal("completed", answer[^1].Str("status"));

        // The write ran once, approved by the person, audited in the chain under the ask_agent call; the budget is the chain's.
        var executed = Assert.Single(fixture.StandIns.ToolCalls, c => c.ToolCallId == prCallId);
        Assert.Equal(userId, executed.ApprovedBy);
        Assert.Equal(chainId, executed.HandOff!.ChainId.ToString());
        Assert.Equal(1, executed.HandOff.Depth);
        Assert.Equal(askId, executed.HandOff.ParentToolCallId);
        Assert.Equal(1, executed.CallsThisTurn);

        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{childId}/messages", Token);
        var messages = history!["items"]!.AsArray().Select(m => m!).ToList();
        Assert.Equal("open a pull request in octo/hello from feature to main: Add greeting", messages[0]["content"]!.GetValue<string>());
        Assert.Contains(messages, m => m["toolCall"]?["toolCallId"]?.GetValue<string>() == prCallId && m["toolCall"]!["status"]!.GetValue<string>() == "success");
        var own = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);
        Assert.Contains(own!["items"]!.AsArray(), m => m!["toolCall"]?["toolCallId"]?.GetValue<string>() == askId && m["toolCall"]!["status"]!.GetValue<string>() == "success");
    }

    [Fact]
    public async Task AskAgent_LoopBackToTheAsker_IsRefusedAtTheDepthLimitAndTheAnswersComeBackUp()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync(StandIns.TaskManager);

        var answer = await client.SendAsync(sessionId, "ask the code assistant to ask the task manager to ask the code assistant to list my tasks");

        Assert.Equal("completed", answer["status"]!.GetValue<string>());
        var events = answer["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var ask = events.Single(e => e["type"]!.GetValue<string>() == "tool_call");
        var chainId = Guid.Parse(events.Single(e => e["type"]!.GetValue<string>() == "handoff_started")["chainId"]!.GetValue<string>());
        var asks = fixture.StandIns.ToolCalls.Where(c => c.HandOff?.ChainId == chainId && c.ToolName == HandOffTool.Name).OrderBy(c => c.HandOff!.Depth).ToList();
        Assert.Equal([0, 1, 2], asks.Select(c => c.HandOff!.Depth));
        Assert.Equal(ask["toolCallId"]!.GetValue<string>(), asks[1].HandOff!.ParentToolCallId);
        Assert.Equal(asks[1].ToolCallId, asks[2].HandOff!.ParentToolCallId);

        // Depth 1 (code assistant) asked the task manager (depth 2), whose ask was refused: nothing ran at depth 3.
        Assert.DoesNotContain(fixture.StandIns.ToolCalls, c => c.HandOff?.ChainId == chainId && c.HandOff.Depth > 2);
        var deepest = events.Single(e => e["type"]!.GetValue<string>() == "handoff_event"
            && e["event"]!["type"]!.GetValue<string>() == "handoff_event"
            && e["event"]!["event"]!["type"]!.GetValue<string>() == "tool_result")["event"]!["event"]!;
        Assert.Equal("denied", deepest["status"]!.GetValue<string>());
        Assert.Contains("handoff_depth_exceeded", deepest["result"]!.GetValue<string>(), StringComparison.Ordinal);
        var reply = string.Concat(events.Where(e => e["type"]!.GetValue<string>() == "assistant").Select(e => e["text"]!.GetValue<string>()));
        Assert.Contains("The code assistant answered: The task manager answered: I couldn't ask the other agent", reply, StringComparison.Ordinal);

        var children = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions?parentSessionId={sessionId}", Token);
        var child = Assert.Single(children!["items"]!.AsArray())!;
        var grandchildren = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions?parentSessionId={child["id"]}", Token);
        Assert.Equal(2, Assert.Single(grandchildren!["items"]!.AsArray())!["handOff"]!["depth"]!.GetValue<int>());
    }

    [Fact]
    public async Task AskAgent_ChainOverTheTurnBudget_TheStepInsideIsRefusedAndAudited()
    {
        await using var chat = fixture.CreateChat(new Dictionary<string, string?> { ["Chat:MaxToolCallsPerTurn"] = "1" });
        await chat.StartAsync();
        using var client = new ChatClient(chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync(StandIns.TaskManager);

        var answer = await client.SendAsync(sessionId, "ask the code assistant to list my tasks");

        // ask_agent was the turn's one call; the code assistant's query_tasks would be the second, so it is refused.
        var events = answer["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var chainId = Guid.Parse(events.Single(e => e["type"]!.GetValue<string>() == "handoff_started")["chainId"]!.GetValue<string>());
        var inner = events.Where(e => e["type"]!.GetValue<string>() == "handoff_event").Select(e => e["event"]!).ToList();
        var refused = Assert.Single(inner, e => e["type"]!.GetValue<string>() == "tool_result");
        Assert.Equal("denied", refused["status"]!.GetValue<string>());
        Assert.Contains("limit of 1 tool calls per turn", refused["result"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.StandIns.ToolCalls, c => c.HandOff?.ChainId == chainId && c.ToolName == "query_tasks");
        var audited = await Eventually.GetAsync(() => Task.FromResult(fixture.StandIns.Refusals.FirstOrDefault(r => r.HandOff?.ChainId == chainId)));
        Assert.Equal("turn_limit_exceeded", audited!.Reason);
        Assert.Equal(1, audited.HandOff!.Depth);
    }

    [Fact]
    public async Task AskAgent_PersonCancelsWhileTheOtherAgentWorks_BothTurnsAreStoredCancelled()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        using var client = new ChatClient(fixture.Chat.CreateClientFor(userId));
        await client.CreateSessionIdAsync(StandIns.CodeAssistant);
        // The code assistant thinks for a minute before its first word.
        await fixture.Letta.ScriptAsync(fixture.StandIns.Agents[(userId, StandIns.CodeAssistant)].LettaAgentId, """[{"type":"delay","ms":60000}]""");
        var sessionId = await client.CreateSessionIdAsync(StandIns.TaskManager);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/sessions/{sessionId}/messages/stream") { Content = JsonContent.Create(new { content = "ask the code assistant to list my tasks" }) };
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        var child = await Eventually.GetAsync(async () =>
            (await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions?parentSessionId={sessionId}", Token))!["items"]!.AsArray().FirstOrDefault());
        var childId = child!["id"]!.GetValue<string>();
        // The code assistant's turn has begun (Letta took the request; its start and the request are stored).
        await Eventually.GetAsync(async () =>
            (await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{childId}/messages", Token))!["items"]!.AsArray().FirstOrDefault());
        using var cancel = await client.Http.PostAsync($"/api/chat/sessions/{sessionId}/turns/cancel", null, Token);
        var events = ChatClient.Parse(await response.Content.ReadAsStringAsync(Token));

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", events[^1].Str("status"));
        Assert.Equal("cancelled", Assert.Single(events, e => e.Type == "handoff_finished").Str("status"));
        // The hand-off's turn is stored as cancelled, as the person's own is: neither is left running.
        var childTurn = await Eventually.GetAsync(() => fixture.StandIns.CompletedTurns.FirstOrDefault(t => t.SessionId.ToString() == childId));
        Assert.Equal("cancelled", childTurn.Outcome);
        var ownTurn = await Eventually.GetAsync(() => fixture.StandIns.CompletedTurns.FirstOrDefault(t => t.SessionId.ToString() == sessionId));
        Assert.Equal("cancelled", ownTurn.Outcome);
    }

    [Fact]
    public async Task HandOffSessions_OfAnotherPerson_AreNotFound()
    {
        using var owner = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        using var stranger = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await owner.CreateSessionIdAsync(StandIns.TaskManager);
        var events = (await owner.SendAsync(sessionId, "ask the code assistant to list my tasks"))["events"]!.AsArray();
        var childId = events.Single(e => e!["type"]!.GetValue<string>() == "handoff_started")!["sessionId"]!.GetValue<string>();

        using var list = await stranger.Http.GetAsync($"/api/chat/sessions?parentSessionId={sessionId}", Token);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal("session_not_found", (await list.Content.ReadFromJsonAsync<JsonObject>(Token))!["code"]!.GetValue<string>());
        using var open = await stranger.Http.GetAsync($"/api/chat/sessions/{childId}/messages", Token);
        Assert.Equal(HttpStatusCode.NotFound, open.StatusCode);
        using var delete = await owner.Http.DeleteAsync($"/api/chat/sessions/{childId}", Token);
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Equal("handoff_session", (await delete.Content.ReadFromJsonAsync<JsonObject>(Token))!["code"]!.GetValue<string>());
    }
}
