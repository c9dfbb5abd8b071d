using LettaPlatform.ServiceDefaults.Caching;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>
/// Stopping a running turn from whichever replica the person's request reaches. A cancel names the turn
/// that holds the session's <see cref="TurnLock"/> (the lock's value), so it can only ever stop that turn,
/// never the next one: it is announced on the session's cancel channel for the replica running the turn,
/// and left in a short-lived key for a turn that had not started listening yet.
/// </summary>
public sealed partial class TurnCancellation(IConnectionMultiplexer redis, IOptions<ChatOptions> options, ILogger<TurnCancellation> logger)
{
    public static RedisKey Key(Guid sessionId) => $"chat:cancel:{sessionId:N}";

    public static RedisChannel Channel(Guid sessionId) => RedisChannel.Literal($"chat:cancel:{sessionId:N}");

    /// <summary>Asks the turn running in the session to stop; false when no turn runs there.</summary>
    public async Task<bool> RequestAsync(Guid sessionId)
    {
        var db = redis.GetDatabase();
        var turn = await db.StringGetAsync(TurnLock.Key(sessionId));
        if (turn.IsNullOrEmpty)
        {
            return false;
        }

        await db.StringSetAsync(Key(sessionId), turn, options.Value.TurnLockExpiry);
        await redis.GetSubscriber().PublishAsync(Channel(sessionId), turn);
        return true;
    }

    /// <summary>
    /// Listens, while the turn <paramref name="turnToken"/> runs, for a cancel of it. Without Redis the
    /// turn still runs; it just cannot be cancelled.
    /// </summary>
    public async Task<TurnCancelWatch> WatchAsync(Guid sessionId, string turnToken)
    {
        var watch = new TurnCancelWatch(redis.GetSubscriber(), Channel(sessionId));
        try
        {
            await watch.SubscribeAsync(turnToken);
            // A cancel that came between taking the lock and subscribing is waiting in the key.
            if (await redis.GetDatabase().StringGetAsync(Key(sessionId)) == turnToken)
            {
                watch.Cancel();
            }
        }
        catch (Exception ex) when (ex.IsRedisFailure())
        {
            LogWatchUnavailable(ex, sessionId);
        }

        return watch;
    }

    [LoggerMessage(LogLevel.Warning, "Cancels of the turn in session {SessionId} cannot be heard (Redis unavailable); the turn runs uncancellable")]
    private partial void LogWatchUnavailable(Exception exception, Guid sessionId);
}

/// <summary>One turn's ear for its cancel: <see cref="Token"/> fires when the person cancels that turn.</summary>
public sealed class TurnCancelWatch(ISubscriber subscriber, RedisChannel channel) : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancelled = new();
    private Action<RedisChannel, RedisValue>? _handler;

    public CancellationToken Token => _cancelled.Token;

    internal async Task SubscribeAsync(string turnToken)
    {
        Action<RedisChannel, RedisValue> handler = (_, message) =>
        {
            if (message == turnToken)
            {
                Cancel();
            }
        };
        await subscriber.SubscribeAsync(channel, handler);
        _handler = handler;
    }

    internal void Cancel()
    {
        try
        {
            // Off Redis's message loop: cancelling runs the turn's callbacks (aborting its calls to Letta).
            _ = _cancelled.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The turn ended as the cancel arrived.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_handler is not null)
        {
            try
            {
                await subscriber.UnsubscribeAsync(channel, _handler);
            }
            catch (Exception ex) when (ex.IsRedisFailure())
            {
            }
        }

        _cancelled.Dispose();
    }
}
