using System.Diagnostics;

namespace LettaPlatform.Chat.Api.Tests;

/// <summary>POST …/turns/cancel: the person stops a turn that a slow or hung Letta holds up.</summary>
public sealed class CancelTurnTests(ChatFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CancelTurn_LettaSlowAndCancelReachesAnotherReplica_StreamEndsCancelledAndTheSessionGoesOn()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        using var client = new ChatClient(fixture.Chat.CreateClientFor(userId));
        var sessionId = await client.CreateSessionIdAsync();
        // The model thinks for a minute before its first word; Letta's pings open the turn's stream meanwhile.
        await fixture.Letta.ScriptAsync(fixture.StandIns.Agents[(userId, StandIns.Template)].LettaAgentId, """[{"type":"delay","ms":60000}]""");
        await using var otherReplica = fixture.CreateChat(new Dictionary<string, string?>());
        await otherReplica.StartAsync();
        using var other = new ChatClient(otherReplica.CreateClientFor(userId));

        var watch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/sessions/{sessionId}/messages/stream") { Content = JsonContent.Create(new { content = "take your time" }) };
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var cancel = await other.Http.PostAsync($"/api/chat/sessions/{sessionId}/turns/cancel", null, Token);
        var answer = await cancel.Content.ReadFromJsonAsync<JsonObject>(Token);
        var events = ChatClient.Parse(await response.Content.ReadAsStringAsync(Token));
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.True(answer!["cancelRequested"]!.GetValue<bool>());
        Assert.Equal("done", events[^1].Type);
        Assert.Equal("cancelled", events[^1].Str("status"));
        Assert.Equal("cancelled", events[^1].Str("stopReason"));
        Assert.DoesNotContain(events, e => e.Type == "error");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the cancelled turn ended after {watch.Elapsed}");
        // Letta's run was stopped too: the conversation takes the next message at once.
        Assert.Equal("completed", (await client.SendAsync(sessionId, "hello again"))["status"]!.GetValue<string>());
        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);
        Assert.Equal(["take your time", "hello again"], history!["items"]!.AsArray().Where(m => (string?)m!["role"] == "user").Select(m => (string?)m!["content"]));
        var turn = await Eventually.GetAsync(() => fixture.StandIns.CompletedTurns.FirstOrDefault(t => t.SessionId.ToString() == sessionId));
        Assert.Equal("cancelled", turn.Outcome);
    }

    [Fact]
    public async Task CancelTurn_NoTurnRunning_ChangesNothingAndSaysSoEachTime()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();
        await client.SendAsync(sessionId, "hello");

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var cancel = await client.Http.PostAsync($"/api/chat/sessions/{sessionId}/turns/cancel", null, Token);
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            Assert.False((await cancel.Content.ReadFromJsonAsync<JsonObject>(Token))!["cancelRequested"]!.GetValue<bool>());
        }

        Assert.Equal("completed", (await client.SendAsync(sessionId, "still here"))["status"]!.GetValue<string>());
        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);
        Assert.Equal(4, history!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task CancelTurn_LettaHangsBeforeAcceptingTheTurn_RequestAnswersTurnCancelledAndNothingIsStored()
    {
        await using var hungLetta = new SilentServer();
        await using var chat = fixture.CreateChat(new Dictionary<string, string?> { ["Letta:Instances:down:Endpoint"] = hungLetta.Url });
        await chat.StartAsync();
        using var client = new ChatClient(chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync(StandIns.UnreachableTemplate);

        var watch = Stopwatch.StartNew();
        var send = client.Http.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages/stream", new { content = "are you there?" }, Token);
        // The turn holds the session as soon as it is admitted; from then on a cancel reaches it.
        await Eventually.GetAsync(async () =>
        {
            using var cancel = await client.Http.PostAsync($"/api/chat/sessions/{sessionId}/turns/cancel", null, Token);
            var answer = await cancel.Content.ReadFromJsonAsync<JsonObject>(Token);
            return answer!["cancelRequested"]!.GetValue<bool>() ? answer : null;
        }, seconds: 30);
        using var response = await send;
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Token);
        watch.Stop();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("turn_cancelled", problem!["code"]!.GetValue<string>());
        Assert.Equal("The turn was cancelled", problem["title"]!.GetValue<string>());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(25), $"the hung turn was given up after {watch.Elapsed}");
        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);
        Assert.Empty(history!["items"]!.AsArray());
        using var afterwards = await client.Http.PostAsync($"/api/chat/sessions/{sessionId}/turns/cancel", null, Token);
        Assert.False((await afterwards.Content.ReadFromJsonAsync<JsonObject>(Token))!["cancelRequested"]!.GetValue<bool>());
    }
}
