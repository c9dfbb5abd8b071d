using System.Text.Json.Nodes;

namespace LettaPlatform.Testing;

/// <summary>One event of a turn as the chat API reports it (<c>type</c> plus its fields; see docs/api.md, "Events").</summary>
public sealed record TurnEvent(string Type, JsonObject Data)
{
    /// <summary>A text field of the event, or null.</summary>
    public string? Text(string name) => Data[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : Data[name]?.ToJsonString();

    /// <summary>The event in one line, cut to <paramref name="max"/> characters, for failure messages.</summary>
    public string Describe(int max = 240)
    {
        var detail = Type switch
        {
            "assistant" or "reasoning" => $"\"{Text("text")}\"",
            "tool_call" or "approval_required" => $"{Text("name")} {Text("arguments")}",
            "tool_result" => $"{Text("name") ?? Text("toolCallId")} {Text("status")}: {Text("result")}",
            "memory_updated" => $"{Text("label")} v{Text("version")} by {Text("author")}",
            "done" => Text("status") ?? "",
            _ => Data.ToJsonString(),
        };
        var line = $"{Type}: {detail}";
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}

/// <summary>
/// A tool call the agent made in a turn, with what it returned when it ran in that turn: <see cref="Result"/> is
/// the whole answer (<c>{"status":"success","data":…}</c> or an error), <see cref="Data"/> its data.
/// </summary>
public sealed record ToolCallMade(string ToolCallId, string Tool, JsonObject Arguments, string? Status, JsonNode? Result)
{
    public JsonNode? Data => Result?["data"];
}

/// <summary>
/// A tool call that waits for the person's approval; <see cref="Preview"/> is what it would change (for a proposed
/// documentation change, <c>{"kind":"diff","text","truncated","note"}</c>) when the tool offers one.
/// </summary>
public sealed record ApprovalRequest(string ToolCallId, string Tool, JsonObject Arguments, string? Reason, JsonObject? Preview = null);

/// <summary>
/// A hand-off in a turn: the <c>ask_agent</c> call <see cref="ToolCallId"/> handed <see cref="Request"/> to the person's agent of
/// <see cref="TemplateId"/>, whose turn ran in session <see cref="SessionId"/>. <see cref="Status"/> is how that turn ended
/// (<c>completed</c>, <c>failed</c>, <c>awaiting_approval</c>…), <see cref="Answer"/> its last reply, and <see cref="Turn"/> its events.
/// </summary>
public sealed record HandOffMade(string ToolCallId, string ChainId, string SessionId, string TemplateId, string Request, string Status, string? Answer, AgentTurn Turn);
