using System.Collections.Concurrent;
using LettaPlatform.ServiceDefaults.Caching;
using StackExchange.Redis;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>
/// Stopping a running turn from whichever replica the person's request reaches. A cancel names the turn
/// that holds the session's <see cref="TurnLock"/> (the lock's value), so it can only ever stop that turn,
/// never the next one. It is announced on one cancel channel that every replica listens to for the whole
/// of its life (one subscription per process, not one per turn); the replica running the named turn stops it.
/// A turn is listening before it takes the lock, so no cancel of it can come too early to be heard.
/// </summary>
public sealed partial class TurnCancellation(IConnectionMultiplexer redis, ILogger<TurnCancellation> logger)
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("chat:cancel");

    private readonly ConcurrentDictionary<string, TurnCancelWatch> _watches = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private volatile bool _subscribed;

    /// <summary>Asks the turn running in the session to stop; false when no turn runs there.</summary>
    public async Task<bool> RequestAsync(Guid sessionId)
    {
        var turn = await redis.GetDatabase().StringGetAsync(TurnLock.Key(sessionId));
        if (turn.IsNullOrEmpty)
        {
            return false;
        }

        await redis.GetSubscriber().PublishAsync(Channel, $"{sessionId:N}\n{turn}");
        return true;
    }

    /// <summary>
    /// Listens for a cancel of the turn <paramref name="turnToken"/> (the value it takes the lock with) until disposed.
    /// Without Redis the turn still runs; it just cannot be cancelled.
    /// </summary>
    public async Task<TurnCancelWatch> WatchAsync(Guid sessionId, string turnToken)
    {
        var watch = new TurnCancelWatch(this, turnToken);
        _watches[turnToken] = watch;
        try
        {
            await SubscribeOnceAsync();
        }
        catch (Exception ex) when (ex.IsRedisFailure())
        {
            LogWatchUnavailable(ex, sessionId);
        }

        return watch;
    }

    internal void Forget(string turnToken) => _watches.TryRemove(turnToken, out _);

    private async Task SubscribeOnceAsync()
    {
        if (_subscribed)
        {
            return;
        }

        await _subscribing.WaitAsync();
        try
        {
            if (!_subscribed)
            {
                // The client subscribes again by itself after a reconnect.
                await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
                {
                    if (message.ToString().Split('\n') is [_, var turnToken] && _watches.TryGetValue(turnToken, out var watch))
                    {
                        watch.Cancel();
                    }
                });
                _subscribed = true;
            }
        }
        finally
        {
            _subscribing.Release();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Cancels of the turn in session {SessionId} cannot be heard (Redis unavailable); the turn runs uncancellable")]
    private partial void LogWatchUnavailable(Exception exception, Guid sessionId);
}

/// <summary>One turn's ear for its cancel: <see cref="Token"/> fires when the person cancels that turn.</summary>
public sealed class TurnCancelWatch(TurnCancellation owner, string turnToken) : IDisposable
{
    private readonly CancellationTokenSource _cancelled = new();

    public CancellationToken Token => _cancelled.Token;

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

    public void Dispose()
    {
        owner.Forget(turnToken);
        _cancelled.Dispose();
    }
}
