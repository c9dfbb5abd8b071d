namespace LettaPlatform.Letta;

/// <summary>
/// Rebuilds whole messages from <c>stream_tokens</c> fragments. Fragments of one message share
/// (<c>message_type</c>, <c>otid</c>); text and tool-call arguments are concatenated in arrival order.
/// Chunks without an otid are whole messages and are kept as they are.
/// </summary>
public sealed class LettaMessageAssembler
{
    private readonly List<LettaMessage> _messages = [];
    private readonly Dictionary<(string Type, string Otid), int> _index = [];

    public IReadOnlyList<LettaMessage> Messages => _messages;

    /// <summary>Adds a chunk and returns the message assembled so far for its (message_type, otid).</summary>
    public LettaMessage Add(LettaMessage chunk)
    {
        if (chunk.Otid is null)
        {
            _messages.Add(chunk);
            return chunk;
        }
        var key = (chunk.MessageType, chunk.Otid);
        if (!_index.TryGetValue(key, out var position))
        {
            _index[key] = _messages.Count;
            _messages.Add(chunk);
            return chunk;
        }
        var merged = Merge(_messages[position], chunk);
        _messages[position] = merged;
        return merged;
    }

    private static LettaMessage Merge(LettaMessage current, LettaMessage next) => (current, next) switch
    {
        (AssistantMessage a, AssistantMessage b) => a with { Content = Concat(a.Content, b.Content), SeqId = b.SeqId ?? a.SeqId },
        (ReasoningMessage a, ReasoningMessage b) => a with { Reasoning = a.Reasoning + b.Reasoning, SeqId = b.SeqId ?? a.SeqId },
        (HiddenReasoningMessage a, HiddenReasoningMessage b) => a with { HiddenReasoning = a.HiddenReasoning + b.HiddenReasoning, SeqId = b.SeqId ?? a.SeqId },
        (ToolCallMessage a, ToolCallMessage b) => a with { ToolCall = MergeCall(a.ToolCall, b.ToolCall), ToolCalls = MergeCalls(a.Calls, b.Calls), SeqId = b.SeqId ?? a.SeqId },
        (ApprovalRequestMessage a, ApprovalRequestMessage b) => a with { ToolCall = MergeCall(a.ToolCall, b.ToolCall), ToolCalls = MergeCalls(a.Calls, b.Calls), SeqId = b.SeqId ?? a.SeqId },
        _ => next,
    };

    private static LettaContent Concat(LettaContent? a, LettaContent? b) => new((a?.Text ?? "") + (b?.Text ?? ""), null);

    private static LettaToolCall? MergeCall(LettaToolCall? a, LettaToolCall? b) =>
        a is null ? b : b is null ? a : new LettaToolCall
        {
            Name = a.Name ?? b.Name,
            ToolCallId = a.ToolCallId ?? b.ToolCallId,
            Arguments = a.Arguments + b.Arguments,
        };

    // Deltas of parallel calls are told apart by tool_call_id; a delta without one continues the last call.
    private static IReadOnlyList<LettaToolCall> MergeCalls(IReadOnlyList<LettaToolCall> current, IReadOnlyList<LettaToolCall> next)
    {
        var calls = current.ToList();
        foreach (var delta in next)
        {
            var at = delta.ToolCallId is null ? calls.Count - 1 : calls.FindIndex(c => c.ToolCallId == delta.ToolCallId);
            if (at < 0)
            {
                calls.Add(delta);
            }
            else
            {
                calls[at] = MergeCall(calls[at], delta)!;
            }
        }
        return calls;
    }
}
