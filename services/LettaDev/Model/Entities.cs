using System.Text.Json.Nodes;

namespace LettaPlatform.LettaDev.Model;

public sealed class BlockEntity
{
    public required string Id { get; init; }
    public required string Label { get; set; }
    public string Value { get; set; } = "";
    public int Limit { get; set; } = BlockDefaults.Limit;
    public string? Description { get; set; }
    public bool ReadOnly { get; set; }
    public JsonObject Metadata { get; set; } = [];
    public List<string> Tags { get; set; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public long Sequence { get; init; }
}

public static class BlockDefaults
{
    public const int Limit = 100_000;
}

public sealed class ToolEntity
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string ToolType { get; set; } = "custom";
    public string? Description { get; set; }
    public string? SourceType { get; set; } = "python";
    public string? SourceCode { get; set; }
    public JsonObject JsonSchema { get; set; } = [];
    public List<string> Tags { get; set; } = [];
    public int ReturnCharLimit { get; set; } = 50_000;
    public bool? DefaultRequiresApproval { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public long Sequence { get; init; }
}

public sealed class AgentEntity
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string System { get; set; } = "";
    public string AgentType { get; set; } = "letta_v1_agent";
    public string? Description { get; set; }
    public string Model { get; set; } = "letta-dev/deterministic";
    public string? Embedding { get; set; }
    public JsonObject? Metadata { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<string> BlockIds { get; set; } = [];
    public List<string> ToolIds { get; set; } = [];
    public JsonArray ToolRules { get; set; } = [];
    public string? LastStopReason { get; set; }
    public DateTimeOffset? LastRunCompletion { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public long Sequence { get; init; }

    /// <summary>The agent's main thread, which Letta calls the <c>default</c> conversation.</summary>
    public ChatThread Thread { get; } = new();

    /// <summary>Steps queued by a test through <c>/_dev/agents/{id}/script</c>; taken before the rule-based model.</summary>
    public Queue<ScriptStep> Script { get; } = new();
}

public sealed class ConversationEntity
{
    public required string Id { get; init; }
    public required string AgentId { get; init; }
    public string? Summary { get; set; }
    public string? Model { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LastMessageAt { get; set; }
    public long Sequence { get; init; }
    public ChatThread Thread { get; } = new();
}

/// <summary>One history: an agent's main thread or a conversation. Memory is shared across threads, history is not.</summary>
public sealed class ChatThread
{
    public List<JsonObject> Messages { get; } = [];

    public PendingApproval? Pending { get; set; }

    public string? ActiveRunId { get; set; }

    public string? LastRunId { get; set; }

    /// <summary>User-message otids seen in a send, so a retried send re-attaches to its run instead of running twice.</summary>
    public Dictionary<string, string> RunByOtid { get; } = new(StringComparer.Ordinal);
}

public sealed record PendingApproval(string RequestMessageId, string RunId, ToolCallRequest Call, bool IsClientTool);

public sealed record ToolCallRequest(string ToolCallId, string Name, string Arguments);

/// <summary>A frame of a run's stream; <paramref name="Seq"/> orders frames, also those whose JSON has no seq_id.</summary>
public sealed record RunEvent(int Seq, JsonObject Payload, string? EventName = null)
{
    public bool IsMessage => Payload["message_type"]?.GetValue<string>() is not ("stop_reason" or "usage_statistics" or "error_message");
}

public sealed record ScriptStep(string Type, string? Text, string? ToolName, JsonNode? Arguments, string? StopReason, int DelayMs);
