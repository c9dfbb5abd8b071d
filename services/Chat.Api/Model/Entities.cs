namespace LettaPlatform.Chat.Api.Model;

/// <summary>A conversation of one user with one of their agents.</summary>
public sealed class ChatSession
{
    public Guid Id { get; init; }
    public required string UserId { get; init; }
    public Guid AgentId { get; init; }
    public required string TemplateId { get; init; }
    public string? Title { get; set; }

    /// <summary>The Letta conversation (created on the first turn) that holds this session's history in Letta.</summary>
    public string? LettaConversationId { get; set; }

    /// <summary>The Letta agent the conversation belongs to; a migrated agent gets a new conversation.</summary>
    public string? LettaAgentId { get; set; }
    public string? LettaInstance { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// For a hand-off's session (another of the person's agents asked with <c>ask_agent</c>): the session whose
    /// agent asked. Such a session runs only inside its parent's turns; the person reads it but does not write in it.
    /// </summary>
    public Guid? ParentSessionId { get; init; }

    /// <summary>The hand-off chain the session belongs to (one per <c>ask_agent</c> call of a person's own conversation).</summary>
    public Guid? HandOffChainId { get; init; }

    /// <summary>The parent's <c>ask_agent</c> call that started this session: its tool card in the parent's stream.</summary>
    public string? HandOffToolCallId { get; init; }

    /// <summary>The <c>ask_agent</c> call's arguments (which agent, the request).</summary>
    public string? HandOffArguments { get; init; }

    /// <summary>How many hand-offs lead here: 0 for a person's own session, 1 for an agent their agent asked…</summary>
    public int HandOffDepth { get; init; }
}

public static class MessageRoles
{
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Tool = "tool";
}

/// <summary>One entry of the user-visible history; a tool message carries its call and result.</summary>
public sealed class ChatMessage
{
    /// <summary>Insertion order, the pagination key.</summary>
    public long Sequence { get; init; }
    public Guid Id { get; init; }
    public Guid SessionId { get; init; }
    public Guid TurnId { get; init; }
    public required string Role { get; init; }
    public required string Content { get; init; }
    public string? ToolCallId { get; init; }
    public string? ToolName { get; init; }
    public string? ToolArguments { get; init; }
    public string? ToolStatus { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public static class TurnStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string AwaitingApproval = "awaiting_approval";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

/// <summary>One turn: a user message or an approval answer, until Letta stops.</summary>
public sealed class ChatTurn
{
    public Guid Id { get; init; }
    public Guid SessionId { get; init; }
    public required string UserId { get; init; }
    public required string Status { get; set; }
    public string? StopReason { get; set; }

    /// <summary>The problem code of the turn's <c>error</c> event, when it ended with one.</summary>
    public string? ErrorCode { get; set; }
    public int PromptTokens { get; set; }
    public int CompletionTokens { get; set; }
    public int TotalTokens { get; set; }
    public int Steps { get; set; }
    public int ToolCalls { get; set; }
    public List<string> RunIds { get; set; } = [];
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
}

public static class ApprovalStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Denied = "denied";
    public const string Expired = "expired";
}

/// <summary>A client-tool call that waits for the person's approval; it survives restarts.</summary>
public sealed class PendingToolCall
{
    public Guid Id { get; init; }
    public Guid SessionId { get; init; }
    public required string UserId { get; init; }
    public Guid TurnId { get; init; }
    public required string ToolCallId { get; init; }
    public required string ToolName { get; init; }
    public required string ArgumentsJson { get; init; }

    /// <summary>Tool calls the turn had made before this one, carried into the turn that resumes it (per-turn cap).</summary>
    public int CallsThisTurn { get; init; }

    /// <summary>What the person was shown besides the arguments (a <c>Tools.ApprovalPreview</c> as JSON), when the tool has a preview.</summary>
    public string? PreviewJson { get; init; }

    /// <summary>
    /// For a call made inside a hand-off: the hand-off session whose turn waits on it. The row itself belongs to the
    /// person's own session at the top of the chain (<see cref="SessionId"/>), where the person sees and answers it;
    /// the answer resumes the chain down to this session.
    /// </summary>
    public Guid? HandOffSessionId { get; init; }
    public required string Status { get; set; }
    public string? ResolvedBy { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; set; }
}
