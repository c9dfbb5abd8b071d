using System.Text.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>The platform's event types (API.md): the SSE <c>event:</c> name and the <c>type</c> of the JSON data.</summary>
public static class ChatEventTypes
{
    public const string Reasoning = "reasoning";
    public const string Assistant = "assistant";
    public const string ToolCall = "tool_call";
    public const string ToolResult = "tool_result";
    public const string ApprovalRequired = "approval_required";
    public const string MemoryUpdated = "memory_updated";
    public const string Usage = "usage";
    public const string Done = "done";
    public const string Error = "error";

    /// <summary>A hand-off began (or resumed) under the <c>ask_agent</c> tool card <c>toolCallId</c>.</summary>
    public const string HandOffStarted = "handoff_started";

    /// <summary>One event of the other agent's turn, nested under the <c>ask_agent</c> tool card <c>toolCallId</c>.</summary>
    public const string HandOffEvent = "handoff_event";

    /// <summary>The other agent's turn ended: its answer goes back to the asking agent as the tool's result.</summary>
    public const string HandOffFinished = "handoff_finished";
}

/// <summary>One event of a turn. <see cref="Data"/> always carries <c>type</c>; <see cref="Id"/> is its Redis stream id.</summary>
public sealed record ChatEvent(string Id, string Type, JsonObject Data)
{
    public static readonly JsonSerializerOptions JsonOptions = JsonSerializerOptions.Web;

    public static JsonObject Create(string type, object payload)
    {
        var data = JsonSerializer.SerializeToNode(payload, JsonOptions)!.AsObject();
        data.Insert(0, "type", type);
        return data;
    }

    public string DataJson => Data.ToJsonString(JsonOptions);

    /// <summary>The JSON answer form: the data plus the event's id.</summary>
    public JsonObject ToJson()
    {
        var json = (JsonObject)Data.DeepClone();
        json.Insert(0, "id", Id);
        return json;
    }
}

public sealed record ReasoningData(string Text);

public sealed record AssistantData(string Text);

public sealed record ToolCallData(string ToolCallId, string Name, string Arguments);

public sealed record ToolResultData(string ToolCallId, string Status, string Result);

/// <summary>A call that waits for the person's answer; <see cref="Preview"/> shows what it would change (a diff), when its tool has one.</summary>
public sealed record ApprovalRequiredData(string ToolCallId, string Name, string Arguments, string Reason, Tools.ApprovalPreview? Preview = null, HandOffRef? HandOff = null);

/// <summary>
/// Where a call inside a hand-off was made: the chain, the depth of the turn that made it, the hand-off's session
/// and the <c>ask_agent</c> call (<see cref="ParentToolCallId"/>) whose tool card it belongs under.
/// </summary>
public sealed record HandOffRef(Guid ChainId, int Depth, Guid SessionId, string ParentToolCallId);

/// <summary>
/// <c>handoff_started</c>: the <c>ask_agent</c> call <see cref="ToolCallId"/> hands <see cref="Request"/> to the person's
/// agent <see cref="AgentId"/>, whose turn runs in session <see cref="SessionId"/> at <see cref="Depth"/> (1 for an agent the
/// person's own agent asked). <see cref="Resumed"/>: the hand-off goes on after the person answered an approval inside it.
/// </summary>
public sealed record HandOffStartedData(string ToolCallId, Guid ChainId, int Depth, Guid SessionId, Guid AgentId, string TemplateId, string Request, bool Resumed);

/// <summary><c>handoff_event</c>: <see cref="Event"/> is one event of the hand-off's turn (with its own <c>type</c> and <c>id</c>), nested under <see cref="ToolCallId"/>.</summary>
public sealed record HandOffEventData(string ToolCallId, Guid ChainId, int Depth, Guid SessionId, JsonObject Event);

/// <summary>
/// <c>handoff_finished</c>: the hand-off's turn ended with <see cref="Status"/> (a turn status: <c>completed</c>, <c>failed</c>,
/// <c>cancelled</c>, or <c>awaiting_approval</c> when a call inside it waits for the person); <see cref="Answer"/> is its last reply.
/// </summary>
public sealed record HandOffFinishedData(string ToolCallId, Guid ChainId, int Depth, Guid SessionId, string Status, string? Answer);

public sealed record MemoryUpdatedData(string Label, int Version, string Author);

public sealed record UsageData(int PromptTokens, int CompletionTokens, int TotalTokens, int Steps);

public sealed record DoneData(string Status, string? StopReason);

/// <summary>
/// The problem details of a failed turn. The event's own <c>type</c> is <c>error</c>, so the problem's
/// type URI travels as <see cref="ProblemType"/> beside its stable <see cref="Code"/>.
/// </summary>
public sealed record ErrorData(string Code, string ProblemType, string Title, int Status, string? Detail);
