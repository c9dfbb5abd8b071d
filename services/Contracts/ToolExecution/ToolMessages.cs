namespace LettaPlatform.Contracts.ToolExecution;

/// <summary>
/// Runs one tool call for a user's agent. Send it to <see cref="ToolExecutionQueues.ExecuteToolCall"/> as a request;
/// the answer is always a <see cref="ToolCallExecuted"/> (denials and tool errors included), within the
/// tool's timeout (20 s by default) plus the agent lookup. (<see cref="UserId"/>, <see cref="ToolCallId"/>)
/// is the idempotency key: the same call never runs twice, a repeat answers with the stored result;
/// the same id with another tool or other arguments is refused. A denied call is not stored, so it may
/// be sent again with the same id (for instance once the user has approved it).
/// </summary>
public record ExecuteToolCall
{
    public required string UserId { get; init; }
    public required Guid AgentId { get; init; }
    public required string TemplateId { get; init; }
    public required Guid SessionId { get; init; }
    public required string ToolCallId { get; init; }
    public required string ToolName { get; init; }

    /// <summary>The call's arguments as the model produced them: a JSON object in text.</summary>
    public required string ArgumentsJson { get; init; }

    /// <summary>The user who approved this very call, when its policy needs approval.</summary>
    public string? ApprovedBy { get; init; }

    /// <summary>How many tool calls the turn has made before this one (for the per-turn cap).</summary>
    public int CallsThisTurn { get; init; }

    /// <summary>
    /// The latest moment the call may start. The caller stops waiting for the answer some time after
    /// it; a call that reaches tool-execution later (held up by a broker outage, say) is refused and
    /// audited as <c>expired</c>, never run, so a person who was told "it did not run" is told the truth.
    /// Absent: no deadline.
    /// </summary>
    public DateTimeOffset? RunBy { get; init; }

    /// <summary>
    /// When the caller stops waiting for the answer. A call that starts late runs only for what is left
    /// until then (less the answer's way back), never past it, so its answer finds the caller still
    /// waiting. Absent: tool-execution's own run timeout alone.
    /// </summary>
    public DateTimeOffset? AnswerBy { get; init; }

    /// <summary>The hand-off chain the call belongs to, when it is one; null for a turn nobody handed off.</summary>
    public HandOffContext? HandOff { get; init; }
}

/// <summary>
/// <see cref="Success"/>: the tool ran. <see cref="Error"/>: it ran and failed, or could not be checked
/// (timeout, GitHub error, agent-management unreachable…). <see cref="Denied"/>: a guard check refused it
/// and nothing ran; the error code says which (invalid_tool_call_id, unknown_tool, agent_not_found, tool_not_allowed,
/// invalid_arguments, task_not_found, github_not_connected, repository_not_allowed, not_documentation, change_too_large, approval_required,
/// turn_limit_exceeded, rate_limited).
/// </summary>
public static class ToolCallStatus
{
    public const string Success = "success";
    public const string Error = "error";
    public const string Denied = "denied";
}

public record ToolCallExecuted
{
    public required string ToolCallId { get; init; }
    public required string ToolName { get; init; }

    /// <summary>One of <see cref="ToolCallStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>
    /// What to hand back to the agent as the tool's return, a JSON object in text:
    /// <c>{"status":"success","data":{…}}</c> (with <c>"truncated":true</c> when lists were cut to the size
    /// cap), or <c>{"status":"error"|"denied","error":{"code":"…","message":"…"}}</c> where the message
    /// tells the model what to do. Text from people or GitHub inside <c>data</c> is wrapped as
    /// <c>{"untrusted_text":"…"}</c>.
    /// </summary>
    public required string Result { get; init; }
    public required long DurationMs { get; init; }

    /// <summary>True when this answer is the stored result of an earlier identical call.</summary>
    public bool Replayed { get; init; }
}

/// <summary>
/// Asks tool-execution for its tool catalog (what chat-api offers Letta as <c>client_tools</c>).
/// Sent to <see cref="ToolExecutionQueues.GetToolCatalog"/>, or published; answered with <see cref="ToolCatalog"/>.
/// The catalog changes only with a deployment of tool-execution, so callers may cache it for minutes;
/// which of these tools an agent may use is its template's <c>AgentResolved.Tools</c>.
/// </summary>
public record GetToolCatalog;

public record ToolCatalog
{
    public required IReadOnlyList<ToolCatalogEntry> Tools { get; init; }
}

/// <summary>One tool as a model sees it.</summary>
public record ToolCatalogEntry
{
    public required string Name { get; init; }

    /// <summary>Written for the model: what the tool does, when to use it, what it returns.</summary>
    public required string Description { get; init; }

    /// <summary>The arguments' JSON Schema (an object schema) as JSON text.</summary>
    public required string ParametersJson { get; init; }

    /// <summary><c>read</c>, <c>write</c> or <c>destructive</c>.</summary>
    public required string Risk { get; init; }

    /// <summary>The catalog's default policy; a template may require approval for more tools, never for fewer.</summary>
    public required bool RequiresApproval { get; init; }

    /// <summary>
    /// What a person is shown beside a call of this tool that waits for approval, when more than its
    /// arguments: <see cref="ToolPreviewKinds.Diff"/> (ask with <see cref="PreviewToolCall"/>). Null: the arguments say it all.
    /// </summary>
    public string? Preview { get; init; }
}

public static class ToolPreviewKinds
{
    /// <summary>A unified diff of the change the call would make (current content → proposed content).</summary>
    public const string Diff = "diff";
}

/// <summary>
/// Asks tool-execution what a call would change, before the person decides on it (the diff of a proposed
/// documentation change, say). Sent to <see cref="ToolExecutionQueues.PreviewToolCall"/> as a request; always
/// answered with a <see cref="ToolCallPreview"/>. The call is checked like an <see cref="ExecuteToolCall"/>
/// (the tool is the agent's, the arguments are valid, the user may act on what it names) and audited as
/// <c>previewed</c>, but nothing is changed and no approval is needed: a preview only reads.
/// </summary>
public record PreviewToolCall
{
    public required string UserId { get; init; }
    public required Guid AgentId { get; init; }
    public required Guid SessionId { get; init; }
    public required string ToolCallId { get; init; }
    public required string ToolName { get; init; }

    /// <summary>The call's arguments as the model produced them: a JSON object in text.</summary>
    public required string ArgumentsJson { get; init; }
}

/// <summary>
/// The answer to <see cref="PreviewToolCall"/>. <see cref="Available"/>: <see cref="Text"/> holds the preview
/// (of kind <see cref="Kind"/>), cut to the configured size when <see cref="Truncated"/>. Otherwise
/// <see cref="Note"/> says why there is none (the repository is not allowed, GitHub did not answer…).
/// </summary>
public record ToolCallPreview
{
    public required string ToolCallId { get; init; }
    public required bool Available { get; init; }

    /// <summary>One of <see cref="ToolPreviewKinds"/>.</summary>
    public string? Kind { get; init; }

    public string? Text { get; init; }

    public bool Truncated { get; init; }

    /// <summary>A sentence for the person: what the preview covers or why there is none.</summary>
    public string? Note { get; init; }
}
