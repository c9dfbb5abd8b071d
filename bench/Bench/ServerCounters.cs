using Npgsql;
using StackExchange.Redis;

namespace LettaPlatform.Bench;

/// <summary>
/// What the shared servers did, read from their own statistics: Redis commands executed (<c>INFO commandstats</c>,
/// every command's <c>calls</c>) and PostgreSQL transactions per database (<c>pg_stat_database</c>, commits and
/// rollbacks). Differences between two readings give the work a phase caused.
/// </summary>
public sealed class ServerCounters(IConnectionMultiplexer redis, string postgres) : IAsyncDisposable
{
    public static async Task<ServerCounters> ConnectAsync(string redisConnectionString, string postgresConnectionString) =>
        new(await ConnectionMultiplexer.ConnectAsync($"{redisConnectionString},allowAdmin=true"), postgresConnectionString);

    /// <summary>Counter name (<c>redis</c>, <c>redis:&lt;command&gt;</c>, or <c>postgres:&lt;database&gt;</c>) to its value now.</summary>
    public async Task<Dictionary<string, long>> ReadAsync()
    {
        // PostgreSQL's backends publish their statistics at most once a second.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var counters = new Dictionary<string, long>();
        var info = await redis.GetServers()[0].InfoAsync("commandstats");
        var commands = info.SelectMany(group => group).ToList();
        counters["redis"] = commands.Sum(entry => Calls(entry.Value));
        foreach (var entry in commands)
        {
            // "cmdstat_xadd" → "redis:xadd": which commands a turn costs.
            counters[$"redis:{entry.Key.Replace("cmdstat_", "", StringComparison.Ordinal)}"] = Calls(entry.Value);
        }

        await using var connection = new NpgsqlConnection($"{postgres};Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT datname, xact_commit + xact_rollback FROM pg_stat_database WHERE datname IN ('chatdb', 'agentsdb', 'toolsdb', 'memorydb')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counters[$"postgres:{reader.GetString(0)}"] = reader.GetInt64(1);
        }

        return counters;
    }

    // "calls=12,usec=340,usec_per_call=28.33,rejected_calls=0,failed_calls=0"
    private static long Calls(string stats) =>
        stats.Split(',').Select(part => part.Split('=')).Where(pair => pair is ["calls", _]).Select(pair => long.Parse(pair[1])).FirstOrDefault();

    public async ValueTask DisposeAsync() => await redis.DisposeAsync();
}
