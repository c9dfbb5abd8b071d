using LettaPlatform.Chat.Api.Model;
using LettaPlatform.Chat.Api.Turns;
using LettaPlatform.Letta;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LettaPlatform.Chat.Api.Tests;

/// <summary>The relay on its own: a Letta stream in, the platform's turn events (buffered in the fixture's Redis) out.</summary>
public sealed class LettaEventRelayTests(ChatFixture fixture) : IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;
    private LettaEventRelay _relay = null!;
    private readonly CollectingSink _sink = new();

    public async ValueTask InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(fixture.Infrastructure.RedisConnectionString);
        var store = new TurnEventStore(_redis, Options.Create(new ChatOptions()));
        _relay = new LettaEventRelay(new TurnEventEmitter(store, NullLogger<TurnEventEmitter>.Instance), NullLogger<LettaEventRelay>.Instance);
    }

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Relay_MessagesOfAStream_BecomeTurnEventsInOrder()
    {
        var turn = NewTurn();

        await _relay.RelayAsync(turn, Stream(
            new LettaMessageEvent(new ReasoningMessage { Id = "m1", RunId = "run-1", Reasoning = "thinking" }),
            new LettaMessageEvent(new AssistantMessage { Id = "m2", Otid = "a", RunId = "run-1", Content = "Hello" }),
            new LettaMessageEvent(new AssistantMessage { Id = "m2", Otid = "a", RunId = "run-1", Content = " there" }),
            new LettaStopReasonEvent("end_turn"),
            new LettaUsageEvent(new LettaUsage { PromptTokens = 10, CompletionTokens = 5, StepCount = 1, RunIds = ["run-2"] }),
            new LettaDoneEvent()), Start(turn), TestContext.Current.CancellationToken);

        Assert.Equal(["reasoning", "assistant", "assistant"], _sink.Events.Select(e => e.Type));
        Assert.Equal(["thinking", "Hello", " there"], _sink.Events.Select(e => e.Data["text"]!.GetValue<string>()));
        Assert.Equal("end_turn", turn.StopReason);
        Assert.Equal((10, 5, 1), (turn.PromptTokens, turn.CompletionTokens, turn.Steps));
        Assert.Equal(["run-1", "run-2"], turn.RunIds);
        var assistant = Assert.Single(turn.History);
        Assert.Equal("Hello there", assistant.Content.ToString());
        Assert.Equal(TurnStatus.Running, turn.Status);
    }

    [Fact]
    public async Task Relay_ToolCallStreamedInPieces_IsRelayedOnceWhole()
    {
        var turn = NewTurn();

        await _relay.RelayAsync(turn, Stream(
            new LettaMessageEvent(new ToolCallMessage { Id = "m1", Otid = "t", ToolCall = new LettaToolCall { ToolCallId = "call-1", Name = "memory_insert", Arguments = "{\"label\":" } }),
            new LettaMessageEvent(new ToolCallMessage { Id = "m1", Otid = "t", ToolCall = new LettaToolCall { Arguments = "\"human\"}" } }),
            new LettaMessageEvent(new ToolReturnMessage { Id = "m2", ToolCallId = "call-1", Status = "success", ToolReturn = "ok" }),
            new LettaMessageEvent(new ToolReturnMessage { Id = "m3", ToolCallId = "call-1", Status = "success", ToolReturn = "ok" })), Start(turn), TestContext.Current.CancellationToken);

        Assert.Equal(["tool_call", "tool_result"], _sink.Events.Select(e => e.Type));
        Assert.Equal("{\"label\":\"human\"}", _sink.Events[0].Data["arguments"]!.GetValue<string>());
        Assert.Equal(["call-1"], turn.MemoryToolCallIds);
        var message = Assert.Single(turn.ToolMessages);
        Assert.Equal(("success", "ok"), (message.ToolStatus, message.Content.ToString()));
    }

    [Fact]
    public async Task Relay_ApprovalRequest_IsReturnedNotRelayed()
    {
        var turn = NewTurn();

        var approvals = await _relay.RelayAsync(turn, Stream(
            new LettaMessageEvent(new ApprovalRequestMessage { Id = "m1", ToolCall = new LettaToolCall { ToolCallId = "call-1", Name = "send_email", Arguments = "{}" } }),
            new LettaStopReasonEvent("requires_approval")), Start(turn), TestContext.Current.CancellationToken);

        Assert.Equal("call-1", Assert.Single(approvals).ToolCallId);
        Assert.Empty(_sink.Events);
        Assert.Equal("requires_approval", turn.StopReason);
    }

    [Fact]
    public async Task Relay_LettaFailsBeforeTheFirstEvent_ThrowsAndNeverStarts()
    {
        var turn = NewTurn();

        await Assert.ThrowsAsync<LettaUnavailableException>(() => _relay.RelayAsync(
            turn, Failing(after: []), Start(turn), TestContext.Current.CancellationToken));

        Assert.False(turn.Started);
        Assert.Empty(_sink.Events);
    }

    [Fact]
    public async Task Relay_LettaFailsMidStream_EmitsErrorAndFailsTheTurn()
    {
        var turn = NewTurn();

        var approvals = await _relay.RelayAsync(turn, Failing(after: [new LettaMessageEvent(new AssistantMessage { Id = "m1", Content = "Hel" })]), Start(turn), TestContext.Current.CancellationToken);

        Assert.Empty(approvals);
        Assert.Equal(["assistant", "error"], _sink.Events.Select(e => e.Type));
        Assert.Equal("letta_error", _sink.Events[1].Data["code"]!.GetValue<string>());
        Assert.Equal(TurnStatus.Failed, turn.Status);
    }

    [Fact]
    public async Task Relay_ErrorEventFromLetta_CarriesLettasErrorType()
    {
        var turn = NewTurn();

        await _relay.RelayAsync(turn, Stream(new LettaErrorEvent("run-1", "llm_api_error", "The model failed", null), new LettaDoneEvent()), Start(turn), TestContext.Current.CancellationToken);

        var error = Assert.Single(_sink.Events);
        Assert.Equal(("error", "llm_api_error", "The model failed"), (error.Type, error.Data["code"]!.GetValue<string>(), error.Data["detail"]!.GetValue<string>()));
        Assert.Equal(TurnStatus.Failed, turn.Status);
    }

    private TurnState NewTurn() =>
        new(new ChatSession { Id = Guid.NewGuid(), UserId = "relay-tests", TemplateId = "t" }, new UserMessageInput("hi"), _sink, 0);

    private static Func<Task> Start(TurnState turn) => () =>
    {
        turn.Started = true;
        return Task.CompletedTask;
    };

    private static async IAsyncEnumerable<LettaStreamEvent> Stream(params LettaStreamEvent[] events)
    {
        foreach (var item in events)
        {
            await Task.Yield();
            yield return item;
        }
    }

    private static async IAsyncEnumerable<LettaStreamEvent> Failing(LettaStreamEvent[] after)
    {
        foreach (var item in after)
        {
            await Task.Yield();
            yield return item;
        }

        throw new LettaUnavailableException("Letta went away");
    }
}
