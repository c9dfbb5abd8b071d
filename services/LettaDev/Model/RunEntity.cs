using System.Text.Json.Nodes;

namespace LettaPlatform.LettaDev.Model;

/// <summary>
/// One run: the frames and messages a turn appends while any number of readers follow, resume or poll it.
/// The run guards its own log, so readers never wait on the rest of the store; a turn that records into
/// the run while it also changes the thread takes the thread's lock first, then the run's.
/// </summary>
public sealed class RunEntity
{
    private readonly Lock _lock = new();

    // Every frame the run produced, in order, so a resumed stream can replay from any seq_id.
    private readonly List<RunEvent> _events = [];

    // Whole messages of this run (the input and what the agent produced), for the non-streaming answer and history.
    private readonly List<JsonObject> _messages = [];

    // Completed and replaced on every new frame, so readers wait without polling.
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _lastSeq;
    private JsonObject _usage = [];
    private bool _finished;

    public required string Id { get; init; }
    public required string AgentId { get; init; }
    public string? ConversationId { get; init; }
    public string Status { get; private set; } = "running";
    public string? StopReason { get; private set; }
    public bool Background { get; init; }
    public bool StreamTokens { get; init; }
    public JsonObject? RequestConfig { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; private set; }

    public CancellationTokenSource Cancellation { get; } = new();

    public bool Finished
    {
        get
        {
            lock (_lock)
            {
                return _finished;
            }
        }
    }

    /// <summary>Keeps a message (already stamped with run, step and otid) and, when <paramref name="emit"/>, sends it as the next frame.</summary>
    public void Record(JsonObject message, bool emit)
    {
        lock (_lock)
        {
            var isInput = message.Str("message_type") is "user_message" or "system_message" or "approval_response_message";
            message["seq_id"] = isInput ? null : _lastSeq + 1;
            if (emit)
            {
                Append(new RunEvent(++_lastSeq, message.DeepClone().AsObject()));
            }
            _messages.Add(message);
        }
    }

    /// <summary>Sends one token fragment of a recorded message as the next frame.</summary>
    public void AppendFragment(JsonObject message, string field, string fragment)
    {
        lock (_lock)
        {
            var frame = message.DeepClone().AsObject();
            frame[field] = fragment;
            frame["seq_id"] = ++_lastSeq;
            Append(new RunEvent(_lastSeq, frame));
        }
    }

    /// <summary>Ends the run with its stop reason, usage (or error) frames; readers see all of it at once.</summary>
    public void Finish(string stopReason, string? error, JsonObject usage, DateTimeOffset now)
    {
        lock (_lock)
        {
            _events.Add(new RunEvent(++_lastSeq, new JsonObject { ["message_type"] = "stop_reason", ["stop_reason"] = stopReason }));
            _usage = usage;
            if (error is null)
            {
                _events.Add(new RunEvent(++_lastSeq, usage.DeepClone().AsObject()));
            }
            else
            {
                _events.Add(new RunEvent(++_lastSeq, new JsonObject
                {
                    ["message_type"] = "error_message",
                    ["run_id"] = Id,
                    ["error_type"] = stopReason == "llm_api_error" ? "llm_error" : "internal_error",
                    ["message"] = error,
                    ["detail"] = error,
                    ["seq_id"] = _lastSeq,
                }, "error"));
            }
            StopReason = stopReason;
            Status = stopReason switch
            {
                "cancelled" => "cancelled",
                "error" or "llm_api_error" or "invalid_llm_response" or "invalid_tool_call" => "failed",
                _ => "completed",
            };
            CompletedAt = now;
            _finished = true;
            Notify();
        }
    }

    /// <summary>The frames after <paramref name="seq"/>, whether the run has finished, and a task that completes on the next frame.</summary>
    public (IReadOnlyList<RunEvent> Events, bool Finished, Task Changed) EventsAfter(int seq)
    {
        lock (_lock)
        {
            return ([.. _events.Where(e => e.Seq > seq)], _finished, _changed.Task);
        }
    }

    /// <summary>The LettaResponse of a finished run (what the agent produced), or null and a task that completes on the next frame.</summary>
    public JsonObject? Response(IReadOnlySet<string>? types, out Task changed)
    {
        lock (_lock)
        {
            changed = _changed.Task;
            if (!_finished)
            {
                return null;
            }
            var produced = _messages
                .Where(m => m.Str("message_type") is not ("user_message" or "system_message" or "approval_response_message"))
                .Where(m => types is null || types.Contains(m.Str("message_type") ?? ""))
                .Select(m => (JsonNode)m.DeepClone());
            return new JsonObject
            {
                ["messages"] = new JsonArray([.. produced]),
                ["stop_reason"] = new JsonObject { ["message_type"] = "stop_reason", ["stop_reason"] = StopReason },
                ["usage"] = _usage.DeepClone(),
                ["logprobs"] = null,
                ["turns"] = null,
            };
        }
    }

    public IReadOnlyList<JsonObject> ListMessages(PageQuery page)
    {
        lock (_lock)
        {
            return [.. page.Apply(_messages, m => m.Str("id")!).Select(m => m.DeepClone().AsObject())];
        }
    }

    public JsonObject View()
    {
        lock (_lock)
        {
            return Views.Run(this);
        }
    }

    private void Append(RunEvent runEvent)
    {
        _events.Add(runEvent);
        Notify();
    }

    private void Notify()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
