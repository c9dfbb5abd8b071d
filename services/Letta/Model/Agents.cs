using System.Text.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.Letta;

public sealed record LettaHealth(string Version, string Status);

/// <summary>The fields of Letta's <c>AgentState</c> the platform reads.</summary>
public sealed record AgentState
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public string? System { get; init; }
    public string? AgentType { get; init; }
    public string? Description { get; init; }
    public string? Model { get; init; }
    public string? Embedding { get; init; }
    public IReadOnlyList<LettaBlock> Blocks { get; init; } = [];
    public IReadOnlyList<LettaTool> Tools { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public JsonObject? Metadata { get; init; }
    public IReadOnlyList<string>? MessageIds { get; init; }
    public JsonArray? ToolRules { get; init; }
    public ApprovalRequestMessage? PendingApproval { get; init; }
    public string? LastStopReason { get; init; }
    public string? ProjectId { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary><c>CreateAgentRequest</c>; every field is optional on the wire.</summary>
public sealed record CreateAgentRequest
{
    public string? Name { get; init; }
    public IReadOnlyList<CreateBlockRequest>? MemoryBlocks { get; init; }
    public IReadOnlyList<string>? BlockIds { get; init; }

    /// <summary>Server tool names to attach.</summary>
    public IReadOnlyList<string>? Tools { get; init; }
    public IReadOnlyList<string>? ToolIds { get; init; }

    /// <summary>Tool rules as Letta defines them (<c>{type, tool_name, …}</c>).</summary>
    public JsonArray? ToolRules { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public JsonObject? Metadata { get; init; }
    public string? System { get; init; }
    public string? Description { get; init; }

    /// <summary><c>provider/model</c>, e.g. <c>openai/gpt-4.1</c>.</summary>
    public string? Model { get; init; }

    /// <summary><c>provider/model</c>; a self-hosted server refuses to create an agent without it.</summary>
    public string? Embedding { get; init; }
    public string? AgentType { get; init; }
    public bool? IncludeBaseTools { get; init; }
    public bool? IncludeBaseToolRules { get; init; }
    public int? ContextWindowLimit { get; init; }
    public IReadOnlyDictionary<string, string>? Secrets { get; init; }
    public string? Timezone { get; init; }
}

/// <summary><c>UpdateAgent</c>: only the fields that are set are sent (a sparse PATCH).</summary>
public sealed record UpdateAgentRequest
{
    public string? Name { get; init; }
    public string? System { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public JsonObject? Metadata { get; init; }
    public string? Model { get; init; }
    public string? Embedding { get; init; }
    public IReadOnlyList<string>? ToolIds { get; init; }
    public IReadOnlyList<string>? BlockIds { get; init; }
    public JsonArray? ToolRules { get; init; }
    public IReadOnlyDictionary<string, string>? Secrets { get; init; }
}

public sealed record ListAgentsQuery
{
    public string? Name { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public bool MatchAllTags { get; init; }
    public int? Limit { get; init; }
    public string? After { get; init; }
    public string? Before { get; init; }
    public LettaSortOrder? Order { get; init; }

    /// <summary>Relations to load (<see cref="AgentInclude"/>); v1 clients get none by default.</summary>
    public IReadOnlyList<string>? Include { get; init; }
}

public static class AgentInclude
{
    public const string Blocks = "agent.blocks";
    public const string Tools = "agent.tools";
    public const string Tags = "agent.tags";
    public const string Identities = "agent.identities";
    public const string PendingApproval = "agent.pending_approval";
    public const string Secrets = "agent.secrets";
}

public enum LettaSortOrder
{
    Asc,
    Desc,
}

public sealed record ExportAgentOptions
{
    public string? ConversationId { get; init; }
    public bool ScrubMessages { get; init; }
}

public sealed record ImportAgentOptions
{
    public string? Name { get; init; }
    public string? Model { get; init; }
    public string? Embedding { get; init; }
    public IReadOnlyDictionary<string, string>? Secrets { get; init; }
    public bool StripMessages { get; init; }
    public bool OverrideExistingTools { get; init; } = true;
}

public sealed record ImportedAgents(IReadOnlyList<string> AgentIds);

public sealed record LettaRun
{
    public required string Id { get; init; }
    public string? AgentId { get; init; }
    public string? ConversationId { get; init; }
    public string? Status { get; init; }
    public string? StopReason { get; init; }
    public bool? Background { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
}

public sealed record Conversation
{
    public required string Id { get; init; }
    public required string AgentId { get; init; }
    public string? Summary { get; init; }
    public string? Model { get; init; }
    public IReadOnlyList<string>? InContextMessageIds { get; init; }
    public IReadOnlyList<string>? IsolatedBlockIds { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public DateTimeOffset? LastMessageAt { get; init; }
}

public sealed record CreateConversationRequest
{
    public string? Summary { get; init; }

    /// <summary>Block labels that get a private copy in this conversation; the other blocks stay shared.</summary>
    public IReadOnlyList<string>? IsolatedBlockLabels { get; init; }
    public string? Model { get; init; }
}

public sealed record ListConversationsQuery
{
    public string? AgentId { get; init; }
    public int? Limit { get; init; }
    public string? After { get; init; }
    public LettaSortOrder? Order { get; init; }
}

/// <summary>The cancel endpoints answer with a free-form object (run id → status).</summary>
public sealed record CancelResult(JsonElement Body);
