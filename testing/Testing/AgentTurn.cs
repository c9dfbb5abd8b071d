using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.Testing;

/// <summary>
/// What one turn produced: its status (<c>completed</c>, <c>awaiting_approval</c> or <c>failed</c>) and its events.
/// The <c>Should…</c> methods assert on it and throw <see cref="AgentAssertionException"/> with the turn's
/// transcript when an expectation does not hold.
/// </summary>
public sealed class AgentTurn(string status, IReadOnlyList<TurnEvent> events)
{
    public string Status { get; } = status;

    public IReadOnlyList<TurnEvent> Events { get; } = events;

    /// <summary>The agent's reply: every assistant text of the turn, joined.</summary>
    public string Reply => string.Concat(Events.Where(e => e.Type == "assistant").Select(e => e.Text("text")));

    /// <summary>The tool calls of the turn, in order, each with its result when it ran in this turn.</summary>
    public IReadOnlyList<ToolCallMade> ToolCalls =>
        [.. Events.Where(e => e.Type == "tool_call").Select(call =>
        {
            var id = call.Text("toolCallId") ?? "";
            var result = Events.FirstOrDefault(e => e.Type == "tool_result" && e.Text("toolCallId") == id);
            return new ToolCallMade(id, call.Text("name") ?? "", Arguments(call.Data["arguments"]), result?.Text("status"), ParseResult(result));
        })];

    /// <summary>The tool calls that wait for approval.</summary>
    public IReadOnlyList<ApprovalRequest> Approvals =>
        [.. Events.Where(e => e.Type == "approval_required")
            .Select(e => new ApprovalRequest(e.Text("toolCallId") ?? "", e.Text("name") ?? "", Arguments(e.Data["arguments"]), e.Text("reason"), e.Data["preview"] as JsonObject))];

    /// <summary>The memory blocks changed during the turn (labels, in order).</summary>
    public IReadOnlyList<string> MemoryEdits => [.. Events.Where(e => e.Type == "memory_updated").Select(e => e.Text("label") ?? "")];

    /// <summary>The turn completed (it did not fail, and waits for no approval).</summary>
    public AgentTurn ShouldComplete() =>
        Status == "completed" ? this : throw Fail($"Expected the turn to complete, but its status is '{Status}'.");

    /// <summary>The reply contains <paramref name="text"/> (ordinal, case-insensitive).</summary>
    public AgentTurn ShouldReply(string text) =>
        Reply.Contains(text, StringComparison.OrdinalIgnoreCase)
            ? this
            : throw Fail($"Expected the reply to contain \"{text}\", but the reply was {(Reply.Length == 0 ? "empty" : $"\"{Cut(Reply, 400)}\"")}.");

    /// <summary>
    /// The turn called <paramref name="tool"/> (and, with <paramref name="arguments"/>, with these argument values:
    /// each property given must be present and equal). Returns the call.
    /// </summary>
    public ToolCallMade ShouldCallTool(string tool, object? arguments = null)
    {
        var calls = ToolCalls.Where(c => c.Tool == tool).ToList();
        if (calls.Count == 0)
        {
            throw Fail($"Expected a call to tool '{tool}', but the turn called {Names(ToolCalls.Select(c => c.Tool))}.");
        }

        if (arguments is null)
        {
            return calls[0];
        }

        var expected = JsonSerializer.SerializeToNode(arguments, JsonSerializerOptions.Web)!.AsObject();
        return calls.FirstOrDefault(call => Matches(expected, call.Arguments))
            ?? throw Fail($"Expected a call to '{tool}' with arguments including {expected.ToJsonString()}, but it was called with "
                + string.Join(" and ", calls.Select(c => c.Arguments.ToJsonString())) + ".");
    }

    /// <summary>The turn called <paramref name="tool"/> and it succeeded. Returns the call with its result.</summary>
    public ToolCallMade ShouldCallToolSuccessfully(string tool, object? arguments = null)
    {
        var call = ShouldCallTool(tool, arguments);
        return call.Status == "success"
            ? call
            : throw Fail($"Expected the call to '{tool}' to succeed, but its result was {call.Status ?? "missing"}: {Cut(call.Result?.ToJsonString() ?? "", 400)}.");
    }

    /// <summary>
    /// After <paramref name="approval"/> was approved, the call ran in this turn and succeeded. Returns the call with its result.
    /// </summary>
    public ToolCallMade ShouldRunApprovedCall(ApprovalRequest approval)
    {
        var result = Events.FirstOrDefault(e => e.Type == "tool_result" && e.Text("toolCallId") == approval.ToolCallId)
            ?? throw Fail($"Expected the approved call to '{approval.Tool}' ({approval.ToolCallId}) to run, but the turn has no result for it.");
        var call = new ToolCallMade(approval.ToolCallId, approval.Tool, approval.Arguments, result.Text("status"), ParseResult(result));
        return call.Status == "success"
            ? call
            : throw Fail($"Expected the approved call to '{approval.Tool}' to succeed, but its result was {call.Status}: {Cut(call.Result?.ToJsonString() ?? "", 400)}.");
    }

    /// <summary>The turn did not call <paramref name="tool"/>.</summary>
    public AgentTurn ShouldNotCallTool(string tool) =>
        ToolCalls.Any(c => c.Tool == tool) ? throw Fail($"Expected no call to tool '{tool}', but the turn called it.") : this;

    /// <summary>The turn stopped to ask the person to approve a call to <paramref name="tool"/>. Returns the request.</summary>
    public ApprovalRequest ShouldAwaitApproval(string tool)
    {
        if (Status != "awaiting_approval")
        {
            throw Fail($"Expected the turn to wait for approval of '{tool}', but its status is '{Status}' "
                + $"and it asked to approve {Names(Approvals.Select(a => a.Tool))}.");
        }

        return Approvals.FirstOrDefault(a => a.Tool == tool)
            ?? throw Fail($"Expected the turn to wait for approval of '{tool}', but it asked to approve {Names(Approvals.Select(a => a.Tool))}.");
    }

    /// <summary>
    /// The hand-offs of the turn (the agent asked another of the person's agents with <c>ask_agent</c>), in order: each
    /// with the other agent's own turn as far as this turn saw it (its events, nested under the <c>ask_agent</c> card).
    /// </summary>
    public IReadOnlyList<HandOffMade> HandOffs =>
        [.. Events.Where(e => e.Type == "handoff_started").Select(started =>
        {
            var id = started.Text("toolCallId") ?? "";
            var nested = Events.Where(e => e.Type == "handoff_event" && e.Text("toolCallId") == id && e.Data["event"] is JsonObject)
                .Select(e => (JsonObject)e.Data["event"]!)
                .Select(inner => new TurnEvent(inner["type"]?.GetValue<string>() ?? "", inner))
                .ToList();
            var finished = Events.LastOrDefault(e => e.Type == "handoff_finished" && e.Text("toolCallId") == id);
            var status = finished?.Text("status") ?? "running";
            return new HandOffMade(id, started.Text("chainId") ?? "", started.Text("sessionId") ?? "", started.Text("templateId") ?? "",
                started.Text("request") ?? "", status, finished?.Text("answer"), new AgentTurn(status, nested));
        })];

    /// <summary>The turn handed a request to the person's agent of <paramref name="templateId"/>. Returns the hand-off.</summary>
    public HandOffMade ShouldHandOff(string templateId) =>
        HandOffs.LastOrDefault(h => h.TemplateId == templateId)
            ?? throw Fail($"Expected a hand-off to the {templateId}, but the turn handed off to {Names(HandOffs.Select(h => h.TemplateId))}.");

    /// <summary>The turn changed the memory block <paramref name="label"/>.</summary>
    public AgentTurn ShouldEditMemory(string label) =>
        MemoryEdits.Contains(label)
            ? this
            : throw Fail($"Expected the turn to edit the memory block '{label}', but it edited {Names(MemoryEdits)}.");

    /// <summary>The turn's status and events, one per line.</summary>
    public string Transcript()
    {
        var text = new StringBuilder($"The turn (status {Status}, {Events.Count} events):");
        foreach (var e in Events)
        {
            text.Append("\n  ").Append(e.Describe());
        }

        return text.ToString();
    }

    public override string ToString() => Transcript();

    private AgentAssertionException Fail(string message) => new($"{message}\n{Transcript()}");

    private static string Names(IEnumerable<string> names)
    {
        var list = names.Distinct().ToList();
        return list.Count == 0 ? "nothing" : string.Join(", ", list.Select(n => $"'{n}'"));
    }

    private static bool Matches(JsonObject expected, JsonObject actual) =>
        expected.All(p => actual.TryGetPropertyValue(p.Key, out var value) && JsonNode.DeepEquals(p.Value, value));

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    // Events carry arguments as a JSON object or as the JSON text of one.
    private static JsonObject Arguments(JsonNode? node) => node switch
    {
        JsonObject obj => obj,
        JsonValue value when value.TryGetValue<string>(out var text) && TryParse(text) is JsonObject parsed => parsed,
        _ => [],
    };

    private static JsonNode? ParseResult(TurnEvent? result) => result?.Data["result"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => TryParse(text) ?? value.DeepClone(),
        var other => other?.DeepClone(),
    };

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
