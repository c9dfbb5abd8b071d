using System.Text.Json.Nodes;

namespace LettaPlatform.LettaDev.Model;

// Stored entities are immutable: a store replaces the whole record on every change, so a record handed out is a
// consistent snapshot that needs no lock. Their JSON fields (metadata, tool rules, schemas) are never modified once
// stored; a change stores a new node, and views clone them.

public sealed record BlockEntity
{
    public required string Id { get; init; }
    public required string Label { get; init; }
    public string Value { get; init; } = "";
    public int Limit { get; init; } = BlockDefaults.Limit;
    public string? Description { get; init; }
    public bool ReadOnly { get; init; }
    public JsonObject Metadata { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Sequence { get; init; }
}

public static class BlockDefaults
{
    public const int Limit = 100_000;
}

public sealed record ToolEntity
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string ToolType { get; init; } = "custom";
    public string? Description { get; init; }
    public string? SourceType { get; init; } = "python";
    public string? SourceCode { get; init; }
    public JsonObject JsonSchema { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public int ReturnCharLimit { get; init; } = 50_000;
    public bool? DefaultRequiresApproval { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public long Sequence { get; init; }
}

public sealed record AgentEntity
{
    public const string DefaultSystem = "You are a helpful assistant running on LettaDev, a deterministic stand-in for Letta.";
    public const string DefaultAgentType = "letta_v1_agent";
    public const string DefaultModel = "letta-dev/deterministic";

    public required string Id { get; init; }
    public required string Name { get; init; }
    public string System { get; init; } = DefaultSystem;
    public string AgentType { get; init; } = DefaultAgentType;
    public string? Description { get; init; }
    public string Model { get; init; } = DefaultModel;
    public string? Embedding { get; init; }
    public JsonObject? Metadata { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> BlockIds { get; init; } = [];
    public IReadOnlyList<string> ToolIds { get; init; } = [];
    public JsonArray ToolRules { get; init; } = [];
    public string? LastStopReason { get; init; }
    public DateTimeOffset? LastRunCompletion { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Sequence { get; init; }

    /// <summary>The agent's main thread, which Letta calls the <c>default</c> conversation; it guards itself.</summary>
    public ChatThread Thread { get; init; } = new();
}

/// <summary>An agent with the blocks and tools it links to, read together.</summary>
public sealed record AgentSnapshot(AgentEntity Agent, IReadOnlyList<BlockEntity> Blocks, IReadOnlyList<ToolEntity> Tools);

public sealed record ConversationEntity
{
    public required string Id { get; init; }
    public required string AgentId { get; init; }
    public string? Summary { get; init; }
    public string? Model { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? LastMessageAt { get; init; }
    public long Sequence { get; init; }
    public ChatThread Thread { get; init; } = new();
}

/// <summary>The thread a message goes to: an agent's main thread (no conversation) or a conversation's.</summary>
public sealed record ResolvedThread(string AgentId, string? ConversationId, ChatThread Thread);

public sealed record PendingApproval(string RequestMessageId, string RunId, ToolCallRequest Call, bool IsClientTool);

public sealed record ToolCallRequest(string ToolCallId, string Name, string Arguments);

/// <summary>A frame of a run's stream; <paramref name="Seq"/> orders frames, also those whose JSON has no seq_id.</summary>
public sealed record RunEvent(int Seq, JsonObject Payload, string? EventName = null)
{
    public bool IsMessage => Payload["message_type"]?.GetValue<string>() is not ("stop_reason" or "usage_statistics" or "error_message");
}

public sealed record ScriptStep(string Type, string? Text, string? ToolName, JsonNode? Arguments, string? StopReason, int DelayMs);
