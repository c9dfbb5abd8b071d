using System.Text.Json.Nodes;

namespace LettaPlatform.LettaDev.Model;

/// <summary>A run a thread has accepted, with the input messages recorded as the run's first step.</summary>
public sealed record TurnOpening(RunEntity Run, IReadOnlyList<JsonObject> Input);

/// <summary>
/// One history: an agent's main thread or a conversation. Memory is shared across threads, history is not.
/// The thread guards its own state, and its active run makes one turn at a time. A turn that records into
/// its run holds the thread's lock, then the run's (<see cref="RunEntity"/>), never the other way round.
/// </summary>
public sealed class ChatThread
{
    private readonly Lock _lock = new();
    private readonly List<JsonObject> _messages;

    // User-message otids seen in a send, so a retried send re-attaches to its run instead of running twice.
    private readonly Dictionary<string, RunEntity> _runByOtid = new(StringComparer.Ordinal);
    private PendingApproval? _pending;
    private RunEntity? _active;
    private RunEntity? _lastRun;

    public ChatThread(IEnumerable<JsonObject>? history = null)
    {
        _messages = [.. history ?? []];
    }

    public RunEntity? LastRun
    {
        get
        {
            lock (_lock)
            {
                return _lastRun;
            }
        }
    }

    /// <summary>
    /// Starts a turn. A send carrying an otid already seen gets that earlier run back (<c>Started</c> false). Otherwise
    /// a thread with an unfinished run answers 409 busy, and one waiting for an approval accepts only the answer.
    /// <paramref name="open"/> is called with the approval being answered (or null) to create and register the run;
    /// what it throws leaves the thread as it was.
    /// </summary>
    public (RunEntity Run, bool Started) Begin(IReadOnlyCollection<string> otids, bool answersApproval, Func<PendingApproval?, TurnOpening> open)
    {
        lock (_lock)
        {
            foreach (var otid in otids)
            {
                if (_runByOtid.TryGetValue(otid, out var earlier))
                {
                    return (earlier, false);
                }
            }

            if (_active is { Finished: false } active)
            {
                throw new LettaException(StatusCodes.Status409Conflict,
                    "Cannot send a new message: another request is already being processed for this agent or conversation. Wait for it to finish or cancel it.",
                    new JsonObject { ["run_id"] = active.Id });
            }
            if (!answersApproval && _pending is { } pending)
            {
                throw new LettaException(StatusCodes.Status409Conflict, new JsonObject
                {
                    ["code"] = "PENDING_APPROVAL",
                    ["message"] = "Cannot send a new message: the agent is waiting for an approval or a tool return. Answer the pending approval request first.",
                    ["pending_request_id"] = pending.RequestMessageId,
                    ["pending_tool_call_ids"] = new JsonArray(pending.Call.ToolCallId),
                    ["run_id"] = pending.RunId,
                });
            }
            if (answersApproval && _pending is null)
            {
                throw LettaException.BadRequest("There is no pending approval request to answer for this agent or conversation");
            }

            var opening = open(_pending);
            _active = opening.Run;
            _lastRun = opening.Run;
            foreach (var otid in otids)
            {
                _runByOtid[otid] = opening.Run;
            }
            var stepId = Ids.New(Ids.Step);
            foreach (var message in opening.Input)
            {
                RecordLocked(opening.Run, message, stepId, emit: false);
            }
            if (answersApproval)
            {
                _pending = null;
            }
            return (opening.Run, true);
        }
    }

    /// <summary>Stamps a message with its run, step and otid, keeps it in history and the run (and, when emitted, in the run's frames).</summary>
    public void Record(RunEntity run, JsonObject message, string stepId, bool emit)
    {
        lock (_lock)
        {
            RecordLocked(run, message, stepId, emit);
        }
    }

    private void RecordLocked(RunEntity run, JsonObject message, string stepId, bool emit)
    {
        message["run_id"] = run.Id;
        message["step_id"] = stepId;
        message["otid"] ??= Guid.NewGuid().ToString("D");
        run.Record(message, emit);
        _messages.Add(message);
    }

    /// <summary>Holds the thread for an answer to <paramref name="pending"/>; until then only that answer is accepted.</summary>
    public void AwaitApproval(PendingApproval pending)
    {
        lock (_lock)
        {
            _pending = pending;
        }
    }

    /// <summary>
    /// Finishes the run and frees the thread in one step, so a client that sees the run end can send again at once.
    /// A cancelled run also drops its pending approval, so a thread cannot be left stuck.
    /// </summary>
    public void End(RunEntity run, string stopReason, string? error, JsonObject usage, DateTimeOffset now)
    {
        lock (_lock)
        {
            run.Finish(stopReason, error, usage, now);
            if (stopReason == "cancelled")
            {
                _pending = null;
            }
            if (_active == run)
            {
                _active = null;
            }
        }
    }

    /// <summary>A page of history (filtered by message type), cloned so callers never hold the thread's objects.</summary>
    public IReadOnlyList<JsonObject> ListMessages(PageQuery page, IReadOnlySet<string>? types)
    {
        lock (_lock)
        {
            var messages = _messages.Where(m => types is null || types.Contains(m.Str("message_type") ?? ""));
            return [.. page.Apply(messages, m => m.Str("id")!).Select(m => m.DeepClone().AsObject())];
        }
    }

    /// <summary>The whole history, oldest first, cloned.</summary>
    public IReadOnlyList<JsonObject> History()
    {
        lock (_lock)
        {
            return [.. _messages.Select(m => m.DeepClone().AsObject())];
        }
    }

    public IReadOnlyList<string> MessageIds()
    {
        lock (_lock)
        {
            return [.. _messages.Select(m => m["id"]!.GetValue<string>())];
        }
    }

    /// <summary>The approval request the thread is waiting on, cloned, or null.</summary>
    public JsonObject? PendingApprovalMessage()
    {
        lock (_lock)
        {
            return _pending is { } pending
                ? _messages.LastOrDefault(m => m["id"]?.GetValue<string>() == pending.RequestMessageId)?.DeepClone().AsObject()
                : null;
        }
    }
}
