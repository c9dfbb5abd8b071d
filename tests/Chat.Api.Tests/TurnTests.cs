using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.Chat.Api.Tests;

public sealed class TurnTests(ChatFixture fixture)
{
    private ChatClient NewUser() => new(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));

    [Fact]
    public async Task SendMessage_PlainText_AnswersCompletedWithAssistantReplyAndStoresHistory()
    {
        using var client = NewUser();
        var sessionId = await client.CreateSessionIdAsync();

        var answer = await client.SendAsync(sessionId, "Hello there");

        Assert.Equal("completed", answer["status"]!.GetValue<string>());
        var events = answer["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var assistant = Assert.Single(events, e => e["type"]!.GetValue<string>() == "assistant");
        Assert.Contains("You said: \"Hello there\"", assistant["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("done", events[^1]["type"]!.GetValue<string>());
        Assert.Equal("usage", events[^2]["type"]!.GetValue<string>());
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e["id"]?.GetValue<string>())));

        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", TestContext.Current.CancellationToken);
        var items = history!["items"]!.AsArray();
        Assert.Equal(["user", "assistant"], items.Select(i => i!["role"]!.GetValue<string>()));
        Assert.Equal("Hello there", items[0]!["content"]!.GetValue<string>());
        Assert.Contains("You said", items[1]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamMessage_EventBuffer_KeepsEveryEventForTheRetentionCountedFromTheTurnsEnd()
    {
        using var client = NewUser();
        var sessionId = await client.CreateSessionIdAsync();

        var events = await client.StreamMessageAsync(sessionId, "Tell me something");

        var redis = fixture.Chat.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase();
        var key = Turns.TurnEventStore.StreamKey(Guid.Parse(sessionId));
        Assert.Equal(events.Count, await redis.StreamLengthAsync(key));
        var retention = fixture.Chat.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChatOptions>>().Value.EventRetention;
        var left = await redis.KeyTimeToLiveAsync(key);
        Assert.True(left > retention - TimeSpan.FromSeconds(10) && left <= retention, $"the buffer expires in {left}, the retention is {retention}");
    }

    [Fact]
    public async Task StreamMessage_PlainText_RelaysTokenDeltasInOrderWithIncreasingIds()
    {
        using var client = NewUser();
        var sessionId = await client.CreateSessionIdAsync();

        var events = await client.StreamMessageAsync(sessionId, "Tell me something");

        Assert.All(events, e => Assert.Equal(e.Event, e.Type));
        Assert.Equal("reasoning", events[0].Type);
        Assert.Equal(["usage", "done"], events.TakeLast(2).Select(e => e.Type));
        var deltas = events.Where(e => e.Type == "assistant").Select(e => e.Str("text")).ToList();
        Assert.True(deltas.Count > 1, "stream_tokens should give several assistant deltas");
        Assert.Contains("You said: \"Tell me something\"", string.Concat(deltas), StringComparison.Ordinal);
        Assert.True(events.FindLastIndex(e => e.Type == "reasoning") < events.FindIndex(e => e.Type == "assistant"));
        var ids = events.Select(e => e.Id!).ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(ids.OrderBy(StreamId), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal("completed", events[^1].Str("status"));
    }

    [Fact]
    public async Task SendMessage_ListMyTasks_ExecutesQueryTasksOverRabbitMqAndRepliesWithResult()
    {
        using var client = NewUser();
        var sessionId = await client.CreateSessionIdAsync();

        var sent = DateTimeOffset.UtcNow;
        var events = await client.StreamMessageAsync(sessionId, "list my tasks");
        var answered = DateTimeOffset.UtcNow;

        var call = Assert.Single(events, e => e.Type == "tool_call");
        Assert.Equal("query_tasks", call.Str("name"));
        var result = Assert.Single(events, e => e.Type == "tool_result");
        Assert.Equal(call.Str("toolCallId"), result.Str("toolCallId"));
        Assert.Equal("success", result.Str("status"));
        Assert.Equal(StandIns.TasksResult, result.Str("result"));
        Assert.Contains("Write the quarterly report", string.Concat(events.Where(e => e.Type == "assistant").Select(e => e.Str("text"))), StringComparison.Ordinal);
        Assert.Equal("completed", events[^1].Str("status"));

        var executed = Assert.Single(fixture.StandIns.ToolCalls, c => c.ToolCallId == call.Str("toolCallId"));
        Assert.Equal(sessionId, executed.SessionId.ToString());
        Assert.Null(executed.ApprovedBy);
        Assert.Equal(0, executed.CallsThisTurn);
        // The fixture's Chat:ToolCallTimeout is 3 s: the turn waits that long, and the call may start until three quarters of it.
        Assert.InRange(executed.AnswerBy!.Value, sent.AddSeconds(3), answered.AddSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(0.75), executed.AnswerBy.Value - executed.RunBy!.Value);

        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", TestContext.Current.CancellationToken);
        var tool = Assert.Single(history!["items"]!.AsArray(), i => i!["role"]!.GetValue<string>() == "tool");
        Assert.Equal("query_tasks", tool!["toolCall"]!["name"]!.GetValue<string>());
        Assert.Equal("success", tool["toolCall"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamMessage_Remember_ShowsMemoryToolCallAndReportsItInTurnCompleted()
    {
        using var client = NewUser();
        var sessionId = await client.CreateSessionIdAsync();
        var sent = DateTimeOffset.UtcNow;

        var events = await client.StreamMessageAsync(sessionId, "remember that I like green tea");

        var call = Assert.Single(events, e => e.Type == "tool_call");
        Assert.Equal("memory_insert", call.Str("name"));
        Assert.Contains("green tea", call.Str("arguments"), StringComparison.Ordinal);
        Assert.Single(events, e => e.Type == "tool_result" && e.Str("toolCallId") == call.Str("toolCallId"));
        Assert.Contains("I will remember", string.Concat(events.Where(e => e.Type == "assistant").Select(e => e.Str("text"))), StringComparison.Ordinal);

        var completed = await Eventually.GetAsync(() => fixture.StandIns.CompletedTurns.FirstOrDefault(t => t.SessionId.ToString() == sessionId));
        Assert.Equal("completed", completed.Outcome);
        Assert.Contains(call.Str("toolCallId"), completed.MemoryToolCallIds);
        Assert.True(completed.CompletionTokens > 0);
        Assert.NotEmpty(completed.RunIds);
        // memory-sync credits the turn with an edit a reconcile recorded after this moment.
        Assert.InRange(completed.StartedAt!.Value, sent, completed.CompletedAt);
    }

    [Fact]
    public async Task ListMessages_SeveralTurns_PagesFromNewestWithOldestFirstWithinPage()
    {
        using var client = NewUser();
        var sessionId = await client.CreateSessionIdAsync();
        await client.SendAsync(sessionId, "one");
        await client.SendAsync(sessionId, "two");
        await client.SendAsync(sessionId, "three");

        var first = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages?limit=4", TestContext.Current.CancellationToken);
        var second = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages?limit=4&cursor={first!["nextCursor"]}", TestContext.Current.CancellationToken);

        var firstItems = first["items"]!.AsArray();
        Assert.Equal(["user", "assistant", "user", "assistant"], firstItems.Select(i => i!["role"]!.GetValue<string>()));
        Assert.Equal("two", firstItems[0]!["content"]!.GetValue<string>());
        Assert.Equal("three", firstItems[2]!["content"]!.GetValue<string>());
        var secondItems = second!["items"]!.AsArray();
        Assert.Equal("one", secondItems[0]!["content"]!.GetValue<string>());
        Assert.Equal(2, secondItems.Count);
        Assert.Null(second["nextCursor"]);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("cursor=not-a-cursor")]
    public async Task ListMessages_InvalidPaging_Answers400(string query)
    {
        using var client = NewUser();
        var sessionId = await client.CreateSessionIdAsync();

        using var response = await client.Http.GetAsync($"/api/chat/sessions/{sessionId}/messages?{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static (ulong, ulong) StreamId(string id) => id.Split('-') is [var ms, var seq] ? (ulong.Parse(ms), ulong.Parse(seq)) : throw new FormatException(id);
}
