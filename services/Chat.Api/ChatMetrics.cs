using System.Diagnostics.Metrics;

namespace LettaPlatform.Chat.Api;

/// <summary>The chat service's own instruments (Meter <c>LettaPlatform.Chat</c>).</summary>
public sealed class ChatMetrics
{
    public const string MeterName = "LettaPlatform.Chat";

    private readonly Histogram<double> _turnDuration;
    private readonly Histogram<double> _timeToFirstEvent;
    private readonly Histogram<int> _toolCalls;
    private readonly Counter<long> _turns;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _approvalsExpired;
    private readonly TimeProvider _time;
    private long _pendingApprovals;
    private long _oldestPendingApprovalTicks;

    public ChatMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(MeterName);
        _turnDuration = meter.CreateHistogram<double>("chat.turn.duration", "s", "Duration of a chat turn, from the request to done.");
        _timeToFirstEvent = meter.CreateHistogram<double>("chat.turn.time_to_first_event", "s", "Time from the request to the first event relayed from Letta.");
        _toolCalls = meter.CreateHistogram<int>("chat.turn.tool_calls", "{call}", "Client-tool calls made in one turn.");
        _turns = meter.CreateCounter<long>("chat.turns", "{turn}", "Turns by outcome (completed, awaiting_approval, failed, rejected).");
        _tokens = meter.CreateCounter<long>("chat.tokens", "{token}", "Tokens Letta reported, by kind (prompt, completion).");
        _approvalsExpired = meter.CreateCounter<long>("chat.approvals.expired", "{approval}", "Approvals denied because nobody answered within Chat:ApprovalTimeout.");
        meter.CreateObservableGauge("chat.approvals.pending", () => Interlocked.Read(ref _pendingApprovals), "{approval}",
            "Approvals waiting for the person's answer, as of the last sweep.");
        meter.CreateObservableGauge("chat.approvals.oldest_pending_age", ObserveOldestPendingApprovalAge, "s",
            "Age of the oldest approval waiting for an answer; it is denied when this reaches Chat:ApprovalTimeout.");
    }

    /// <summary>What the stale-approval sweep found waiting: how many, and since when the oldest.</summary>
    public void PendingApprovals(long count, DateTimeOffset? oldest)
    {
        Interlocked.Exchange(ref _pendingApprovals, count);
        Interlocked.Exchange(ref _oldestPendingApprovalTicks, oldest?.UtcTicks ?? 0);
    }

    public void ApprovalExpired() => _approvalsExpired.Add(1);

    public void FirstEvent(TimeSpan elapsed) => _timeToFirstEvent.Record(elapsed.TotalSeconds);

    public void TurnEnded(string outcome, TimeSpan duration, int toolCalls, int promptTokens, int completionTokens)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _turns.Add(1, tag);
        _turnDuration.Record(duration.TotalSeconds, tag);
        _toolCalls.Record(toolCalls);
        _tokens.Add(promptTokens, new KeyValuePair<string, object?>("kind", "prompt"));
        _tokens.Add(completionTokens, new KeyValuePair<string, object?>("kind", "completion"));
    }

    /// <summary>A turn refused before it reached Letta (busy session, Letta unavailable, …).</summary>
    public void TurnRejected(string code) =>
        _turns.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"), new KeyValuePair<string, object?>("code", code));

    private double ObserveOldestPendingApprovalAge()
    {
        var ticks = Interlocked.Read(ref _oldestPendingApprovalTicks);
        return ticks == 0 ? 0 : Math.Max(0, (_time.GetUtcNow().UtcTicks - ticks) / (double)TimeSpan.TicksPerSecond);
    }
}
