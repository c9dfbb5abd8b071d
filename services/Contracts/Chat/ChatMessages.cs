namespace LettaPlatform.Contracts.Chat;

public record ChatTurnCompleted
{
    public required Guid TurnId { get; init; }
    public required Guid SessionId { get; init; }
    public required string UserId { get; init; }
    public required Guid AgentId { get; init; }
    public required string LettaInstance { get; init; }
    public required string LettaAgentId { get; init; }
    public required IReadOnlyList<string> RunIds { get; init; }

    /// <summary><c>completed</c>, <c>awaiting_approval</c> or <c>failed</c>.</summary>
    public required string Outcome { get; init; }
    public string? StopReason { get; init; }
    public int PromptTokens { get; init; }
    public int CompletionTokens { get; init; }
    public int Steps { get; init; }

    /// <summary>Ids of the memory tool calls the agent made this turn, for provenance.</summary>
    public IReadOnlyList<string> MemoryToolCallIds { get; init; } = [];

    /// <summary>
    /// When the turn began. memory-sync credits the turn with an edit that a reconcile recorded, without provenance,
    /// after this moment (the reconcile ran before this event arrived). Absent from older senders.
    /// </summary>
    public DateTimeOffset? StartedAt { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}

/// <summary>
/// A tool call that never reached tool-execution's guard: chat-api refused it (not in the agent's
/// template, over the per-turn limit) or a person (or the approval timeout) denied it. Published so
/// that tool-execution records it in the audit ledger, where every decision about a tool call is.
/// </summary>
public record ToolCallRefused
{
    public required string UserId { get; init; }
    public required Guid AgentId { get; init; }
    public required Guid SessionId { get; init; }
    public required string ToolCallId { get; init; }
    public required string ToolName { get; init; }

    /// <summary>The call's arguments as the model produced them (unstorable characters replaced).</summary>
    public required string ArgumentsJson { get; init; }

    /// <summary>One of <see cref="ToolCallRefusals"/>.</summary>
    public required string Reason { get; init; }

    /// <summary>What the agent was told.</summary>
    public required string Message { get; init; }

    /// <summary>The user who denied the call, or <c>system</c> for an expired approval; null for chat-api's own refusals.</summary>
    public string? DecidedBy { get; init; }
    public required DateTimeOffset RefusedAt { get; init; }

    /// <summary>The hand-off chain the call belongs to, when it is one.</summary>
    public ToolExecution.HandOffContext? HandOff { get; init; }
}

public static class ToolCallRefusals
{
    public const string ToolNotAllowed = "tool_not_allowed";
    public const string TurnLimitExceeded = "turn_limit_exceeded";
    public const string DeniedByUser = "denied_by_user";
    public const string ApprovalExpired = "approval_expired";
}
