namespace LettaPlatform.ToolExecution.Api.Model;

/// <summary>
/// One row of the audit ledger: one decision on one delivery of a tool call. Rows are only ever
/// inserted; nothing in this service updates or deletes them.
/// </summary>
public sealed class ToolExecutionEntry
{
    public required Guid Id { get; init; }
    public required string UserId { get; init; }
    public required Guid AgentId { get; init; }
    public required Guid SessionId { get; init; }
    public required string ToolCallId { get; init; }
    public required string Tool { get; init; }

    /// <summary>The arguments as JSON, secrets redacted.</summary>
    public required string Arguments { get; init; }

    /// <summary>One of <see cref="AuditDecisions"/>.</summary>
    public required string Decision { get; init; }

    /// <summary>Why a call was denied or failed (a stable code such as <c>approval_required</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>success, error or denied: what the agent was told.</summary>
    public required string Status { get; init; }

    /// <summary>The start of the result handed back, capped.</summary>
    public required string ResultSummary { get; init; }

    public required long DurationMs { get; init; }
    public string? ApprovedBy { get; init; }

    /// <summary>The hand-off chain the call belongs to (see <c>HandOffContext</c>); null outside a hand-off.</summary>
    public Guid? ChainId { get; init; }

    /// <summary>How many hand-offs lead to the turn that made the call (0: the person's own conversation).</summary>
    public int? ChainDepth { get; init; }

    /// <summary>The <c>ask_agent</c> call that started the turn that made this call.</summary>
    public string? ParentToolCallId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

public static class AuditDecisions
{
    /// <summary>Every check passed and the tool ran (successfully or not).</summary>
    public const string Allowed = "allowed";

    /// <summary>A check refused the call; the tool did not run.</summary>
    public const string Denied = "denied";

    /// <summary>The call had run before; its stored result was returned and nothing ran again.</summary>
    public const string Replayed = "replayed";

    /// <summary>The call was previewed for the person deciding on it (what it would change was read); nothing ran.</summary>
    public const string Previewed = "previewed";
}
