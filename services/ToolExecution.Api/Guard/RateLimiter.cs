using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LettaPlatform.ToolExecution.Api.Guard;

/// <summary>
/// A per-user sliding-window limit kept in Redis, so every replica counts against the same window.
/// The window holds tool_call_ids, not hits: a redelivered call is already in it and is not counted twice.
/// </summary>
public sealed class RateLimiter(IConnectionMultiplexer redis, IOptions<ToolExecutionOptions> options, TimeProvider timeProvider)
{
    // KEYS[1] = the user's window; ARGV = now (ms), window (ms), limit, tool_call_id. Returns 1 when allowed.
    private static readonly LuaScript Script = LuaScript.Prepare("""
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', tonumber(@now) - tonumber(@window))
        if redis.call('ZSCORE', @key, @member) then
          return 1
        end
        if redis.call('ZCARD', @key) >= tonumber(@limit) then
          return 0
        end
        redis.call('ZADD', @key, @now, @member)
        redis.call('PEXPIRE', @key, @window)
        return 1
        """);

    public async Task<bool> TryAcquireAsync(string userId, string toolCallId)
    {
        var settings = options.Value;
        var result = await redis.GetDatabase().ScriptEvaluateAsync(Script, new
        {
            key = (RedisKey)$"tool-execution:rate:{userId}",
            now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
            window = (long)settings.RateLimitWindow.TotalMilliseconds,
            limit = settings.RateLimitCalls,
            member = toolCallId,
        });
        return (int)result == 1;
    }
}
