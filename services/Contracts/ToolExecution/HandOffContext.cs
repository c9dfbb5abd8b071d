namespace LettaPlatform.Contracts.ToolExecution;

/// <summary>
/// Where a tool call stands in a hand-off chain (one of a person's agents asking another with <c>ask_agent</c>).
/// A call of a turn nobody handed off has none, except the <c>ask_agent</c> call that starts a chain
/// (<see cref="Depth"/> 0, no <see cref="ParentToolCallId"/>). Inside a hand-off, <see cref="Depth"/> is how many
/// hand-offs lead to the turn that made the call and <see cref="ParentToolCallId"/> the <c>ask_agent</c> call
/// that started that turn. Tool-execution records it in the audit ledger and refuses an <c>ask_agent</c>
/// beyond its depth limit.
/// </summary>
public record HandOffContext
{
    public required Guid ChainId { get; init; }
    public required int Depth { get; init; }
    public string? ParentToolCallId { get; init; }
}

/// <summary>The hand-off tool: one of the person's agents asks another of their agents and gets its answer.</summary>
public static class HandOffTool
{
    public const string Name = "ask_agent";
}
