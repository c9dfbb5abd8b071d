namespace LettaPlatform.Bench;

/// <summary>How much to measure. <see cref="Full"/> is the documented run; <see cref="Tiny"/> only shows the benchmark still works.</summary>
public sealed record BenchOptions
{
    public int Users { get; init; } = 16;
    public int WarmUp { get; init; } = 20;
    public int Turns { get; init; } = 300;
    public TimeSpan LoadDuration { get; init; } = TimeSpan.FromSeconds(10);
    public int StreamedTurns { get; init; } = 100;
    public int ToolTurns { get; init; } = 100;
    public int ReadRequests { get; init; } = 5000;
    public int CpuTurns { get; init; } = 300;
    public TimeSpan IdleWindow { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan IdleSettle { get; init; } = TimeSpan.FromSeconds(10);
    public int ResolutionWarmUp { get; init; } = 50;
    public int Resolutions { get; init; } = 2000;
    public int CacheHits { get; init; } = 20000;
    public int ReconcileAgents { get; init; } = 10_000;

    /// <summary>The phases to run (<c>--phases plain,cpu,…</c>); all of <see cref="AllPhases"/> unless told.</summary>
    public IReadOnlySet<string> Phases { get; init; } = AllPhases;

    public static IReadOnlySet<string> AllPhases { get; } = new HashSet<string> { "plain", "load", "streamed", "tool", "read", "resolution", "cpu", "work", "reconcile" };

    public bool Runs(string phase) => Phases.Contains(phase);

    public static BenchOptions Full { get; } = new();

    public static BenchOptions Tiny { get; } = new()
    {
        Users = 2,
        WarmUp = 1,
        Turns = 3,
        LoadDuration = TimeSpan.FromSeconds(1),
        StreamedTurns = 2,
        ToolTurns = 2,
        ReadRequests = 10,
        CpuTurns = 3,
        IdleWindow = TimeSpan.FromSeconds(1),
        IdleSettle = TimeSpan.FromSeconds(1),
        ResolutionWarmUp = 5,
        Resolutions = 20,
        CacheHits = 100,
        ReconcileAgents = 50,
    };
}
