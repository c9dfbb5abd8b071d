using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>
/// The events of a session's current (or last) turn in a Redis stream, so a client that reconnects
/// with <c>Last-Event-ID</c> gets what it missed, on whichever replica it lands. Every append is also
/// announced on the session's pub/sub channel, which wakes live followers on every replica.
/// </summary>
public sealed class TurnEventStore(IConnectionMultiplexer redis, IOptions<ChatOptions> options)
{
    private const string TypeField = "type";
    private const string DataField = "data";

    // One command per event: the stream entry, its retention when asked, and the announcement on the session's
    // channel, instead of two or three commands.
    private const string AppendScript = """
        local id = redis.call('XADD', KEYS[1], '*', 'type', ARGV[1], 'data', ARGV[2])
        if ARGV[3] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
        redis.call('PUBLISH', ARGV[4], id .. '\n' .. ARGV[1] .. '\n' .. ARGV[2])
        return id
        """;

    public static RedisKey StreamKey(Guid sessionId) => $"chat:events:{sessionId:N}";

    public static RedisChannel Channel(Guid sessionId) => RedisChannel.Literal($"chat:events:{sessionId:N}");

    /// <summary>Starts a new turn: the previous turn's events are dropped (ids keep growing, so old cursors still work).</summary>
    public Task ResetAsync(Guid sessionId) => redis.GetDatabase().KeyDeleteAsync(StreamKey(sessionId));

    /// <param name="refreshExpiry">
    /// Whether to (re)start the buffer's retention: a turn does it with its first and its last event, so the
    /// events in between cost one Redis command each instead of two.
    /// </param>
    public async Task<ChatEvent> AppendAsync(Guid sessionId, string type, JsonObject data, bool refreshExpiry = true)
    {
        var json = data.ToJsonString(ChatEvent.JsonOptions);
        var expiry = refreshExpiry ? (long)options.Value.EventRetention.TotalMilliseconds : 0;
        var id = await redis.GetDatabase().ScriptEvaluateAsync(AppendScript, [StreamKey(sessionId)], [type, json, expiry, Channel(sessionId).ToString()]);
        return new ChatEvent(id.ToString(), type, data);
    }

    public Task<bool> ExistsAsync(Guid sessionId) => redis.GetDatabase().KeyExistsAsync(StreamKey(sessionId));

    /// <summary>Events after <paramref name="afterId"/> (all of them when null), oldest first.</summary>
    public async Task<IReadOnlyList<ChatEvent>> ReadAfterAsync(Guid sessionId, string? afterId, int count = 200)
    {
        var entries = await redis.GetDatabase().StreamRangeAsync(
            StreamKey(sessionId),
            minId: afterId is null ? "-" : $"({afterId}",
            maxId: "+",
            count: count);
        return [.. entries.Select(ToEvent)];
    }

    /// <summary>Parses a pub/sub announcement made by <see cref="AppendAsync"/>.</summary>
    public static ChatEvent? ParseAnnouncement(RedisValue message)
    {
        var parts = message.ToString().Split('\n', 3);
        return parts.Length == 3 && JsonNode.Parse(parts[2]) is JsonObject data ? new ChatEvent(parts[0], parts[1], data) : null;
    }

    /// <summary>An id for an event the buffer could not take; in the stream-id format, so clients need no special case.</summary>
    public static string LocalId(int sequence) => $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}-{sequence}";

    public static bool IsValidId(string id) => id.Split('-') is [var ms, var seq] && ulong.TryParse(ms, out _) && ulong.TryParse(seq, out _);

    private static ChatEvent ToEvent(StreamEntry entry)
    {
        var type = entry[TypeField].ToString();
        var data = JsonNode.Parse(entry[DataField].ToString())!.AsObject();
        return new ChatEvent(entry.Id.ToString(), type, data);
    }
}
