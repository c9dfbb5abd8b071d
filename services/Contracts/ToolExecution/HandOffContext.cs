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

    /// <summary>
    /// The templates whose agents have <c>ask_agent</c> without listing it in their template version (chat-api's
    /// <c>Chat:HandOffTemplates</c> and tool-execution's <c>ToolExecution:HandOffTemplates</c> default to these).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultTemplates = ["code-assistant", "task-manager", "documentation"];

    /// <summary>The agent's tools with <c>ask_agent</c> (no approval needed) added when its template is one of <paramref name="templates"/>.</summary>
    public static AgentManagement.AgentResolved WithHandOff(AgentManagement.AgentResolved agent, IEnumerable<string> templates) =>
        agent.Tools.Any(t => t.Name == Name) || !templates.Contains(agent.TemplateId)
            ? agent
            : agent with { Tools = [.. agent.Tools, new AgentManagement.AgentTool { Name = Name, RequiresApproval = false }] };
}
