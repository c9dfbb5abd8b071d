using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.ToolExecution.Api;

/// <summary>Limits of the <see cref="Guard.ToolExecutionGuard"/> (section "ToolExecution").</summary>
public sealed class ToolExecutionOptions
{
    public const string SectionName = "ToolExecution";

    /// <summary>A turn may make this many tool calls; the call with <c>CallsThisTurn</c> equal to it is denied.</summary>
    [Range(1, 1000)]
    public int MaxCallsPerTurn { get; set; } = 12;

    /// <summary>
    /// How deep a hand-off chain may go: an <c>ask_agent</c> call from a turn at this depth is refused
    /// (<c>handoff_depth_exceeded</c>). 2: the person's agent may ask another, which may ask a third, no further.
    /// </summary>
    [Range(1, 10)]
    public int MaxHandOffDepth { get; set; } = 2;

    /// <summary>The templates whose agents may call <c>ask_agent</c> although their template version does not list it.</summary>
    public string[]? HandOffTemplates { get; set; }

    /// <summary><see cref="HandOffTemplates"/>, or the seeded templates when it is not configured (a configured list replaces them).</summary>
    public IReadOnlyList<string> HandOffTemplatesOrDefault => HandOffTemplates ?? Contracts.ToolExecution.HandOffTool.DefaultTemplates;

    /// <summary>Tool calls one user may make within <see cref="RateLimitWindow"/>, across all replicas.</summary>
    [Range(1, 100_000)]
    public int RateLimitCalls { get; set; } = 60;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one tool may run before the call ends with a <c>timeout</c> error.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The largest result (JSON characters) handed back to the agent; longer lists are cut.</summary>
    [Range(512, 1_000_000)]
    public int MaxResultChars { get; set; } = 16_000;
}
