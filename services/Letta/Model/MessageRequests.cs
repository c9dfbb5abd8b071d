using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LettaPlatform.Letta;

/// <summary>
/// One item of a send request's <c>messages</c>: a message (<c>MessageCreate</c>), an approval answer
/// (<c>ApprovalCreate</c>) or tool results (<c>ToolReturnCreate</c>). Every item carries an <c>otid</c>:
/// re-sending the same items lets Letta re-attach to the run it already started instead of running the turn twice.
/// </summary>
[JsonPolymorphic]
[JsonDerivedType(typeof(LettaMessageInput))]
[JsonDerivedType(typeof(LettaApprovalInput))]
[JsonDerivedType(typeof(LettaToolReturnInput))]
public abstract record LettaInput
{
    [JsonPropertyOrder(-2)]
    public abstract string Type { get; }

    [JsonPropertyOrder(-1)]
    public string Otid { get; init; } = NewOtid();

    public static string NewOtid() => Guid.NewGuid().ToString();

    public static LettaMessageInput User(string text, string? otid = null) =>
        new() { Role = "user", Content = text, Otid = otid ?? NewOtid() };

    public static LettaApprovalInput Approve(string toolCallId, string? reason = null, string? otid = null) =>
        new() { Approvals = [new LettaApprovalDecision { ToolCallId = toolCallId, Approve = true, Reason = reason }], Otid = otid ?? NewOtid() };

    public static LettaApprovalInput Deny(string toolCallId, string reason, string? otid = null) =>
        new() { Approvals = [new LettaApprovalDecision { ToolCallId = toolCallId, Approve = false, Reason = reason }], Otid = otid ?? NewOtid() };

    public static LettaToolReturnInput ToolResult(string toolCallId, string result, bool success = true, string? otid = null) =>
        new() { ToolReturns = [new LettaToolResult { ToolCallId = toolCallId, ToolReturn = result, Status = success ? "success" : "error" }], Otid = otid ?? NewOtid() };
}

/// <summary><c>MessageCreate</c>.</summary>
public sealed record LettaMessageInput : LettaInput
{
    [JsonPropertyOrder(-2)]
    public override string Type => "message";
    public required string Role { get; init; }
    public required LettaContent Content { get; init; }
    public string? Name { get; init; }
}

/// <summary><c>ApprovalCreate</c>: answers to an <c>approval_request_message</c>, keyed on <c>tool_call_id</c>.</summary>
public sealed record LettaApprovalInput : LettaInput
{
    [JsonPropertyOrder(-2)]
    public override string Type => "approval";
    public required IReadOnlyList<LettaApprovalItem> Approvals { get; init; }
}

/// <summary><c>ToolReturnCreate</c>: results of client-side tool calls.</summary>
public sealed record LettaToolReturnInput : LettaInput
{
    [JsonPropertyOrder(-2)]
    public override string Type => "tool_return";
    public required IReadOnlyList<LettaToolResult> ToolReturns { get; init; }
}

[JsonPolymorphic]
[JsonDerivedType(typeof(LettaApprovalDecision))]
[JsonDerivedType(typeof(LettaToolResult))]
public abstract record LettaApprovalItem
{
    [JsonPropertyOrder(-1)]
    public abstract string Type { get; }

    [JsonPropertyOrder(-1)]
    public required string ToolCallId { get; init; }
}

/// <summary><c>ApprovalReturn</c>: approve or deny; a denial reaches the model as an error with the reason.</summary>
public sealed record LettaApprovalDecision : LettaApprovalItem
{
    [JsonPropertyOrder(-2)]
    public override string Type => "approval";
    public required bool Approve { get; init; }
    public string? Reason { get; init; }
}

/// <summary><c>ToolReturn</c> (<c>type: "tool"</c>): the output of a tool the client ran.</summary>
public sealed record LettaToolResult : LettaApprovalItem
{
    [JsonPropertyOrder(-2)]
    public override string Type => "tool";
    public required string ToolReturn { get; init; }

    /// <summary><c>success</c> or <c>error</c>.</summary>
    public required string Status { get; init; }
    public IReadOnlyList<string>? Stdout { get; init; }
    public IReadOnlyList<string>? Stderr { get; init; }
}

/// <summary>A tool the client executes; Letta pauses with an approval request whenever the model calls it.</summary>
public sealed record LettaClientTool
{
    public required string Name { get; init; }
    public string? Description { get; init; }

    /// <summary>JSON Schema of the arguments.</summary>
    public JsonObject? Parameters { get; init; }
}

/// <summary>What a send carries besides the streaming switches.</summary>
public sealed record LettaMessageRequest
{
    public required IReadOnlyList<LettaInput> Messages { get; init; }
    public IReadOnlyList<LettaClientTool>? ClientTools { get; init; }
    public int? MaxSteps { get; init; }
    public IReadOnlyList<string>? IncludeReturnMessageTypes { get; init; }
    public string? OverrideModel { get; init; }
}

public sealed record LettaStreamOptions
{
    /// <summary>Token-level fragments instead of whole messages per step.</summary>
    public bool StreamTokens { get; init; } = true;
    public bool IncludePings { get; init; } = true;

    /// <summary>Keep the run going after a disconnect so it can be resumed (needs Redis on the server).</summary>
    public bool Background { get; init; }
}

public sealed record ListMessagesQuery
{
    public string? Before { get; init; }
    public string? After { get; init; }
    public int? Limit { get; init; }
    public LettaSortOrder? Order { get; init; }
    public string? ConversationId { get; init; }
    public IReadOnlyList<string>? IncludeReturnMessageTypes { get; init; }
}

public sealed record LettaStopReason(string StopReason);

public sealed record LettaUsage
{
    public int CompletionTokens { get; init; }
    public int PromptTokens { get; init; }
    public int TotalTokens { get; init; }
    public int StepCount { get; init; }
    public IReadOnlyList<string>? RunIds { get; init; }
    public int? CachedInputTokens { get; init; }
    public int? CacheWriteTokens { get; init; }
    public int? ReasoningTokens { get; init; }
    public int? ContextTokens { get; init; }
}

/// <summary><c>LettaResponse</c> of a non-streaming send.</summary>
public sealed record LettaResponse
{
    public IReadOnlyList<LettaMessage> Messages { get; init; } = [];
    public LettaStopReason? StopReason { get; init; }
    public LettaUsage? Usage { get; init; }
}
