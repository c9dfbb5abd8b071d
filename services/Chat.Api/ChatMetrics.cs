using System.Diagnostics;
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
    private readonly Counter<long> _toolCallsByTool;
    private readonly Counter<long> _approvals;
    private readonly Histogram<double> _approvalWait;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _personTurns;
    private readonly Counter<long> _personTokens;
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
        _toolCallsByTool = meter.CreateCounter<long>("chat.tool_calls", "{call}", "Tool calls by tool, outcome (success, error, denied, refused) and template.");
        _approvals = meter.CreateCounter<long>("chat.approvals", "{approval}", "Approvals by decision (asked, granted, denied, expired), tool and template.");
        _approvalWait = meter.CreateHistogram<double>("chat.approval.wait", "s", "Time from asking the person for an approval to their answer, by decision and template.");
        _errors = meter.CreateCounter<long>("chat.errors", "{error}", "Turns that ended with an error event or were refused, by problem code and template.");
        _personTurns = meter.CreateCounter<long>("chat.person.turns", "{turn}", "Turns by person (a keyed hash of the user id), template and outcome.");
        _personTokens = meter.CreateCounter<long>("chat.person.tokens", "{token}", "Tokens by person (a keyed hash of the user id) and kind.");
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

    public void TurnEnded(string outcome, TimeSpan duration, int toolCalls, int promptTokens, int completionTokens, UsageScope scope)
    {
        var tags = new TagList { { "outcome", outcome }, { "template", scope.Template }, { "letta.instance", scope.Instance } };
        _turns.Add(1, tags);
        _turnDuration.Record(duration.TotalSeconds, tags);
        _toolCalls.Record(toolCalls, new KeyValuePair<string, object?>("template", scope.Template));
        _tokens.Add(promptTokens, new TagList { { "kind", "prompt" }, { "template", scope.Template }, { "letta.instance", scope.Instance } });
        _tokens.Add(completionTokens, new TagList { { "kind", "completion" }, { "template", scope.Template }, { "letta.instance", scope.Instance } });
        if (scope.Person is { } person)
        {
            _personTurns.Add(1, new TagList { { "person", person }, { "template", scope.Template }, { "outcome", outcome } });
            _personTokens.Add(promptTokens + completionTokens, new TagList { { "person", person }, { "kind", "total" } });
        }
    }

    /// <summary>A turn refused before it reached Letta (busy session, Letta unavailable, …).</summary>
    public void TurnRejected(string code)
    {
        _turns.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"), new KeyValuePair<string, object?>("code", code));
        _errors.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("template", "unknown"));
    }

    /// <summary>A turn's <c>error</c> event.</summary>
    public void TurnError(string code, string template) =>
        _errors.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("template", template));

    /// <param name="tool">One of the agent's tools; a name the agent may not use counts as <c>other</c>, so made-up names cannot grow the series.</param>
    public void ToolCalled(string tool, string outcome, string template) =>
        _toolCallsByTool.Add(1, new TagList { { "tool", tool }, { "outcome", outcome }, { "template", template } });

    public void ApprovalAsked(string tool, string template) =>
        _approvals.Add(1, new TagList { { "decision", "asked" }, { "tool", tool }, { "template", template } });

    /// <param name="decision"><c>granted</c>, <c>denied</c> or <c>expired</c>.</param>
    public void ApprovalDecided(string decision, string tool, string template, TimeSpan waited)
    {
        _approvals.Add(1, new TagList { { "decision", decision }, { "tool", tool }, { "template", template } });
        _approvalWait.Record(Math.Max(0, waited.TotalSeconds), new TagList { { "decision", decision }, { "template", template } });
    }

    private double ObserveOldestPendingApprovalAge()
    {
        var ticks = Interlocked.Read(ref _oldestPendingApprovalTicks);
        return ticks == 0 ? 0 : Math.Max(0, (_time.GetUtcNow().UtcTicks - ticks) / (double)TimeSpan.TicksPerSecond);
    }
}
