namespace LettaPlatform.Chat.Api.Turns;

/// <summary>Where a turn's events go as they happen (an SSE response, a JSON answer, or nowhere).</summary>
public interface ITurnSink
{
    /// <summary>Called once, right before the first event, when Letta has accepted the turn.</summary>
    Task StartAsync();

    Task WriteAsync(ChatEvent chatEvent);

    /// <summary>Letta sent a keep-alive ping; the sink may pass it on.</summary>
    Task KeepAliveAsync();
}

/// <summary>Collects the events for the one-JSON-answer form of a turn.</summary>
public sealed class CollectingSink : ITurnSink
{
    private readonly List<ChatEvent> _events = [];

    public IReadOnlyList<ChatEvent> Events => _events;

    public Task StartAsync() => Task.CompletedTask;

    public Task WriteAsync(ChatEvent chatEvent)
    {
        lock (_events)
        {
            _events.Add(chatEvent);
        }
        return Task.CompletedTask;
    }

    public Task KeepAliveAsync() => Task.CompletedTask;
}

/// <summary>For turns nobody watches live (the stale-approval worker); the events still reach Redis.</summary>
public sealed class NullSink : ITurnSink
{
    public static readonly NullSink Instance = new();

    public Task StartAsync() => Task.CompletedTask;

    public Task WriteAsync(ChatEvent chatEvent) => Task.CompletedTask;

    public Task KeepAliveAsync() => Task.CompletedTask;
}

/// <summary>
/// Where a hand-off's turn sends its events: each becomes a <c>handoff_event</c> of the asking turn, under its
/// <c>ask_agent</c> tool card (and so on up to the person's stream). The events are in the hand-off session's own buffer too.
/// </summary>
public sealed class NestedSink(TurnEventEmitter events, HandOffFrame frame, Guid sessionId) : ITurnSink
{
    public Task StartAsync() => Task.CompletedTask;

    public Task WriteAsync(ChatEvent chatEvent) =>
        events.EmitAsync(frame.Parent, ChatEventTypes.HandOffEvent, new HandOffEventData(frame.ParentToolCallId, frame.ChainId, frame.Depth, sessionId, chatEvent.ToJson()));

    public Task KeepAliveAsync() => frame.Parent.Sink.KeepAliveAsync();
}
