using System.Text.Json;
using System.Text.Json.Serialization;

namespace LettaPlatform.Letta;

/// <summary>One element of Letta's message union (<c>LettaMessageUnion</c>), discriminated on <c>message_type</c>.</summary>
public abstract record LettaMessage
{
    [JsonPropertyName("message_type")]
    public abstract string MessageType { get; }

    public string Id { get; init; } = "";
    public DateTimeOffset? Date { get; init; }
    public string? Name { get; init; }
    public string? Otid { get; init; }
    public string? SenderId { get; init; }
    public string? StepId { get; init; }
    public bool? IsErr { get; init; }
    public int? SeqId { get; init; }
    public string? RunId { get; init; }
}

public static class LettaMessageTypes
{
    public const string System = "system_message";
    public const string User = "user_message";
    public const string Assistant = "assistant_message";
    public const string Reasoning = "reasoning_message";
    public const string HiddenReasoning = "hidden_reasoning_message";
    public const string ToolCall = "tool_call_message";
    public const string ToolReturn = "tool_return_message";
    public const string ApprovalRequest = "approval_request_message";
    public const string ApprovalResponse = "approval_response_message";
    public const string Summary = "summary_message";
    public const string Event = "event_message";
}

/// <summary>Content that is either a plain string or a list of typed parts; text parts are concatenated by <see cref="Text"/>.</summary>
[JsonConverter(typeof(LettaContentConverter))]
public sealed record LettaContent(string? Value, IReadOnlyList<JsonElement>? Parts)
{
    public string Text => Value ?? string.Concat((Parts ?? []).Where(p => p.ValueKind == JsonValueKind.Object
        && p.TryGetProperty("type", out var type) && type.ValueEquals("text")
        && p.TryGetProperty("text", out _)).Select(p => p.GetProperty("text").GetString()));

    public static implicit operator LettaContent(string text) => new(text, null);

    public override string ToString() => Text;
}

public sealed record SystemMessage : LettaMessage
{
    public override string MessageType => LettaMessageTypes.System;
    public LettaContent? Content { get; init; }
}

public sealed record UserMessage : LettaMessage
{
    public override string MessageType => LettaMessageTypes.User;
    public LettaContent? Content { get; init; }
}

public sealed record AssistantMessage : LettaMessage
{
    public override string MessageType => LettaMessageTypes.Assistant;
    public LettaContent? Content { get; init; }
}

public sealed record ReasoningMessage : LettaMessage
{
    public override string MessageType => LettaMessageTypes.Reasoning;
    public string? Reasoning { get; init; }
    public string? Source { get; init; }
    public string? Signature { get; init; }
}

public sealed record HiddenReasoningMessage : LettaMessage
{
    public override string MessageType => LettaMessageTypes.HiddenReasoning;
    public string? State { get; init; }
    public string? HiddenReasoning { get; init; }
}

/// <summary>A tool call; with <c>stream_tokens</c> a chunk carries only a fragment of <see cref="Arguments"/>.</summary>
public sealed record LettaToolCall
{
    public string? Name { get; init; }
    public string? Arguments { get; init; }
    public string? ToolCallId { get; init; }
}

public sealed record ToolCallMessage : LettaMessage
{
    public override string MessageType => LettaMessageTypes.ToolCall;

    /// <summary>Deprecated by Letta in favour of <see cref="ToolCalls"/> but still required by the spec.</summary>
    public LettaToolCall? ToolCall { get; init; }

    [JsonConverter(typeof(LettaToolCallsConverter))]
    public IReadOnlyList<LettaToolCall>? ToolCalls { get; init; }

    /// <summary>The calls, whichever of the two fields carried them.</summary>
    [JsonIgnore]
    public IReadOnlyList<LettaToolCall> Calls => ToolCalls is { Count: > 0 } ? ToolCalls : ToolCall is null ? [] : [ToolCall];
}

public sealed record ApprovalRequestMessage : LettaMessage
{
    public override string MessageType => LettaMessageTypes.ApprovalRequest;
    public LettaToolCall? ToolCall { get; init; }

    [JsonConverter(typeof(LettaToolCallsConverter))]
    public IReadOnlyList<LettaToolCall>? ToolCalls { get; init; }

    [JsonIgnore]
    public IReadOnlyList<LettaToolCall> Calls => ToolCalls is { Count: > 0 } ? ToolCalls : ToolCall is null ? [] : [ToolCall];
}

public sealed record LettaToolReturn
{
    public string Type { get; init; } = "tool";
    public string? ToolCallId { get; init; }
    public string? Status { get; init; }

    [JsonConverter(typeof(LettaToolReturnValueConverter))]
    public string? ToolReturn { get; init; }
    public IReadOnlyList<string>? Stdout { get; init; }
    public IReadOnlyList<string>? Stderr { get; init; }
}

public sealed record ToolReturnMessage : LettaMessage
{
    public override string MessageType => LettaMessageTypes.ToolReturn;
    public string? ToolReturn { get; init; }
    public string? Status { get; init; }
    public string? ToolCallId { get; init; }
    public IReadOnlyList<string>? Stdout { get; init; }
    public IReadOnlyList<string>? Stderr { get; init; }
    public IReadOnlyList<LettaToolReturn>? ToolReturns { get; init; }

    [JsonIgnore]
    public IReadOnlyList<LettaToolReturn> Returns => ToolReturns is { Count: > 0 } ? ToolReturns
        : ToolCallId is null ? [] : [new LettaToolReturn { ToolCallId = ToolCallId, Status = Status, ToolReturn = ToolReturn, Stdout = Stdout, Stderr = Stderr }];
}

public sealed record ApprovalResponseMessage : LettaMessage
{
    public override string MessageType => LettaMessageTypes.ApprovalResponse;
    public IReadOnlyList<JsonElement>? Approvals { get; init; }
}

public sealed record SummaryMessage : LettaMessage
{
    public override string MessageType => LettaMessageTypes.Summary;
    public string? Summary { get; init; }
}

public sealed record EventMessage : LettaMessage
{
    public override string MessageType => LettaMessageTypes.Event;
    public string? EventType { get; init; }
    public JsonElement? EventData { get; init; }
}

/// <summary>A message type this client does not know yet; the raw JSON is kept.</summary>
public sealed record UnknownLettaMessage : LettaMessage
{
    [JsonIgnore]
    public string Type { get; init; } = "";

    public override string MessageType => Type;

    [JsonIgnore]
    public JsonElement Raw { get; init; }
}
