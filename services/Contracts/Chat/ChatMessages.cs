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
    public required DateTimeOffset CompletedAt { get; init; }
}
