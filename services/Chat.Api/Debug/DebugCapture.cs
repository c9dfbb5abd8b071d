using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace LettaPlatform.Chat.Api.Debug;

/// <summary>
/// The debug capture of the turn running in this async flow (null when its session is not being debugged): what
/// the Letta client's handler, the tool-call runner and the turn runner record, kept in memory until the turn
/// ends and then stored. Recording stops by itself at <see cref="Until"/>.
/// </summary>
public sealed class DebugCapture(Guid sessionId, DateTimeOffset until, TimeProvider time)
{
    /// <summary>The span attribute of a captured turn's request: the admin route that reads the capture.</summary>
    public const string TraceTag = "lettaplatform.debug_capture";

    private static readonly AsyncLocal<DebugCapture?> CurrentCapture = new();

    public static DebugCapture? Current
    {
        get => CurrentCapture.Value;
        internal set => CurrentCapture.Value = value;
    }

    public Guid SessionId { get; } = sessionId;

    public DateTimeOffset Until { get; } = until;

    public Guid? TurnId { get; set; }

    public long StartedTimestamp { get; } = Stopwatch.GetTimestamp();

    public ConcurrentQueue<CapturedEntry> Entries { get; } = new();

    /// <summary>Records one moment; <paramref name="data"/> is serialized to JSON and redacted.</summary>
    public void Record(string kind, string name, object data, TimeSpan? elapsed = null)
    {
        var now = time.GetUtcNow();
        if (now >= Until)
        {
            return;
        }

        var json = SecretRedactor.Text(JsonSerializer.Serialize(data, JsonSerializerOptions.Web));
        Entries.Enqueue(new CapturedEntry(TurnId, Activity.Current?.TraceId.ToString(), kind, SecretRedactor.Text(name), json, elapsed?.TotalMilliseconds, now));
    }
}

public sealed record CapturedEntry(Guid? TurnId, string? TraceId, string Kind, string Name, string Data, double? ElapsedMs, DateTimeOffset At);
