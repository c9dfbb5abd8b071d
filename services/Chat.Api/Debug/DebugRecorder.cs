using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.Chat.Api.Debug;

/// <summary>A session's debug switch as a caller already read it: on until <see cref="EnabledUntil"/>, off when null.</summary>
public readonly record struct DebugSwitch(DateTimeOffset? EnabledUntil);

/// <summary>
/// Starts a turn's debug capture when an admin switched it on for the session (read with the turn gate's own query of the session, or one indexed read) and
/// stores what it captured when the turn ends, in its own scope so the turn's unit of work is never touched.
/// </summary>
public sealed partial class DebugRecorder(IServiceScopeFactory scopeFactory, TimeProvider time, ILogger<DebugRecorder> logger)
{
    /// <summary>The capture for the session's turn, null when debugging is off; the caller makes it <see cref="DebugCapture.Current"/> (an async local set in here would not flow back).</summary>
    public async Task<DebugCapture?> BeginAsync(ChatDbContext db, Guid sessionId, DebugSwitch? known, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var until = known is { } read
            ? read.EnabledUntil
            : await db.DebugSwitches.AsNoTracking().Where(s => s.SessionId == sessionId && s.EnabledUntil > now)
                .Select(s => (DateTimeOffset?)s.EnabledUntil).SingleOrDefaultAsync(cancellationToken);
        return until is { } end ? new DebugCapture(sessionId, end, time) : null;
    }

    /// <summary>Stores the captured entries; a failure is logged, never the turn's.</summary>
    public async Task FlushAsync(DebugCapture capture)
    {
        if (capture.Entries.IsEmpty)
        {
            return;
        }

        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ChatDbContext>();
            db.DebugEntries.AddRange(capture.Entries.Select(e => new DebugCaptureEntry
            {
                SessionId = capture.SessionId,
                TurnId = e.TurnId,
                TraceId = e.TraceId,
                Kind = e.Kind,
                Name = e.Name.Length > 300 ? e.Name[..300] : e.Name,
                Data = e.Data,
                ElapsedMs = e.ElapsedMs,
                CreatedAt = e.At,
            }));
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            LogFlushFailed(ex, capture.SessionId, capture.Entries.Count);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Could not store {Count} debug capture entries of session {SessionId}")]
    private partial void LogFlushFailed(Exception exception, Guid sessionId, int count);
}
