using StackExchange.Redis;

namespace LettaPlatform.ServiceDefaults.Caching;

/// <summary>
/// "Redis could not be used": StackExchange.Redis throws <see cref="RedisException"/> (connection lost,
/// server errors) and, for a command that got no answer in time, <see cref="RedisTimeoutException"/>,
/// which derives from <see cref="TimeoutException"/> instead. Code that degrades without Redis catches both:
/// <c>catch (Exception ex) when (ex.IsRedisFailure())</c>.
/// </summary>
public static class RedisFailures
{
    public static bool IsRedisFailure(this Exception exception) => exception is RedisException or RedisTimeoutException;
}
