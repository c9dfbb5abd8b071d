using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.Chat.Api;

/// <summary>How chat turns behave (section "Chat").</summary>
public sealed class ChatOptions
{
    public const string SectionName = "Chat";

    /// <summary>Tool calls one turn may make; calls beyond it are denied so the agent answers without them.</summary>
    [Range(1, 100)]
    public int MaxToolCallsPerTurn { get; set; } = 10;

    /// <summary>
    /// The templates whose agents may hand a request to another of the person's agents (<c>ask_agent</c>), besides any
    /// template version that lists the tool itself. Keep it equal to tool-execution's <c>ToolExecution:HandOffTemplates</c>.
    /// </summary>
    public string[]? HandOffTemplates { get; set; }

    /// <summary><see cref="HandOffTemplates"/>, or the seeded templates when it is not configured (a configured list replaces them).</summary>
    public IReadOnlyList<string> HandOffTemplatesOrDefault => HandOffTemplates ?? Contracts.ToolExecution.HandOffTool.DefaultTemplates;

    /// <summary>How long a turn waits for tool-execution to answer an <c>ExecuteToolCall</c>.</summary>
    public TimeSpan ToolCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a tool call may take to reach tool-execution and start (its <c>RunBy</c>); later it is
    /// refused there, unrun. It is what the broker and tool-execution's checks may take on a busy platform
    /// (an agent lookup, a hand-off's first provisioning). A call that starts late runs only until the turn
    /// stops waiting (its <c>AnswerBy</c>, <see cref="ToolCallTimeout"/> after it was sent, less a second for the
    /// answer's way back), so an answer always finds the turn still waiting, and what the timeout leaves after this
    /// window, less that second (7 s by default), is the least time a tool gets to run. At most three quarters of
    /// <see cref="ToolCallTimeout"/>.
    /// </summary>
    public TimeSpan ToolCallStartWindow { get; set; } = TimeSpan.FromSeconds(22);

    /// <summary>
    /// How long a turn waits for tool-execution's preview of a call that needs approval (the diff of a
    /// proposed change); without it the person is told the preview is missing and decides from the arguments.
    /// </summary>
    public TimeSpan ToolPreviewTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the tool catalog from tool-execution is cached.</summary>
    public TimeSpan ToolCatalogCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A pending approval older than this is denied on the person's behalf, so the agent is never stuck on it.</summary>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the stale-approval worker looks for pending approvals past <see cref="ApprovalTimeout"/>.</summary>
    public TimeSpan ApprovalSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the events of a turn stay in Redis for clients that reconnect.</summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A comment line is sent on an idle event stream this often, so proxies keep it open.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The secret key of the per-person usage metrics: each person appears as the first 16 hex digits of
    /// HMAC-SHA256(key, user id), stable across replicas and restarts, never the user id. Without a key the
    /// per-person metrics are not emitted. The AppHost gives one kept in its data folder.
    /// </summary>
    [MinLength(16)]
    public string? PersonHashKey { get; set; }

    /// <summary>The longest an admin may switch on debug capture for one session; it switches itself off after the time asked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DebugCaptureMaxDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Expiry of the per-session turn lock; it is renewed while the turn runs, so a crashed replica frees it.</summary>
    public TimeSpan TurnLockExpiry { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Seconds a client is told to wait (Retry-After) when Letta is unavailable.</summary>
    [Range(1, 3600)]
    public int LettaRetryAfterSeconds { get; set; } = 5;

    /// <summary>Connect timeout towards Letta, so an unreachable instance is reported within about two seconds.</summary>
    public TimeSpan LettaConnectTimeout { get; set; } = TimeSpan.FromSeconds(1.5);
}
