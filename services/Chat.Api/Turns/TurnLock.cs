using LettaPlatform.ServiceDefaults.Caching;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>
/// One turn at a time per session, across replicas: a Redis lock with an expiry that is renewed while
/// the turn runs, so a replica that dies mid-turn frees the session within one expiry.
/// </summary>
public sealed class TurnLock(IConnectionMultiplexer redis, IOptions<ChatOptions> options)
{
    public static RedisKey Key(Guid sessionId) => $"chat:lock:{sessionId:N}";

    public async Task<TurnLease?> TryAcquireAsync(Guid sessionId, Guid turnId)
    {
        var expiry = options.Value.TurnLockExpiry;
        var db = redis.GetDatabase();
        return await db.LockTakeAsync(Key(sessionId), turnId.ToString(), expiry)
            ? new TurnLease(db, Key(sessionId), turnId.ToString(), expiry)
            : null;
    }

    public Task<bool> IsHeldAsync(Guid sessionId) => redis.GetDatabase().KeyExistsAsync(Key(sessionId));
}

public sealed class TurnLease : IAsyncDisposable
{
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

    private readonly IDatabase _db;
    private readonly RedisKey _key;
    private readonly string _token;
    private readonly PeriodicTimer _timer;
    private readonly Task _renewal;

    internal TurnLease(IDatabase db, RedisKey key, string token, TimeSpan expiry)
    {
        _db = db;
        _key = key;
        _token = token;
        _timer = new PeriodicTimer(expiry / 3);
        _renewal = RenewAsync(expiry);
    }

    private async Task RenewAsync(TimeSpan expiry)
    {
        try
        {
            // Disposing the timer ends the loop: the pending tick answers false (no exception per turn).
            while (await _timer.WaitForNextTickAsync())
            {
                await _db.LockExtendAsync(_key, _token, expiry);
            }
        }
        catch (Exception ex) when (ex.IsRedisFailure())
        {
            // Redis is unreachable: the lock will lapse on its own, which is the safe outcome.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _timer.Dispose();
        await _renewal;
        try
        {
            // One command where the client's LockRelease is a five-command transaction (WATCH, GET, MULTI, DEL, EXEC).
            await _db.ScriptEvaluateAsync(ReleaseScript, [_key], [_token]);
        }
        catch (Exception ex) when (ex.IsRedisFailure())
        {
        }
    }
}
