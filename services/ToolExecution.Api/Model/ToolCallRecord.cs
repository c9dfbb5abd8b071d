namespace LettaPlatform.ToolExecution.Api.Model;

/// <summary>
/// The idempotency record of a tool call that passed the guard, keyed by (user, tool_call_id): inserted
/// before the tool runs (so a concurrent second delivery cannot run it too), completed with its result.
/// </summary>
public sealed class ToolCallRecord
{
    public required string UserId { get; init; }
    public required string ToolCallId { get; init; }
    public required string Tool { get; init; }

    /// <summary>SHA-256 of the arguments as sent, so a reused id with other arguments is recognised.</summary>
    public required string ArgumentsHash { get; init; }

    /// <summary>Null while the tool runs; then success or error.</summary>
    public string? Status { get; set; }

    public string? Result { get; set; }
    public long DurationMs { get; set; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
}
