using System.Text.Json;
using System.Text.Json.Serialization;

namespace LettaPlatform.Bench;

public sealed record LoadSummary(double TurnsPerSecond, Latency Latency, int Errors);

public sealed record StreamSummary(Latency FirstEvent, Latency Done, int Events);

public sealed record ToolSummary(Latency Tool, Latency Plain)
{
    public double AddedP50Ms => Tool.P50 - Plain.P50;
    public double AddedP99Ms => Tool.P99 - Plain.P99;
}

/// <summary>CPU milliseconds a process spent per plain turn sent through the gateway, and per turn sent to LettaDev directly.</summary>
public sealed record CpuSummary(double ViaGateway, double Direct);

/// <summary>Everything one run measured; written as JSON (snake_case keys) and printed as a table.</summary>
public sealed class BenchReport
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public required BenchOptions Options { get; init; }
    public double ColdStartMs { get; set; }
    public Dictionary<string, Latency> PlainTurn1User { get; set; } = [];
    public Dictionary<string, LoadSummary> PlainTurnsLoad { get; } = [];
    public Dictionary<string, StreamSummary> StreamedTurn { get; set; } = [];
    public ToolSummary? ToolTurn { get; set; }
    public Dictionary<string, LoadSummary> TasksRead { get; } = [];
    public Dictionary<string, CpuSummary> CpuMsPerTurn { get; set; } = [];

    /// <summary>Context switches of each process's threads per plain turn through the gateway (the same turns as <see cref="CpuMsPerTurn"/>).</summary>
    public Dictionary<string, double> ContextSwitchesPerTurn { get; set; } = [];
    /// <summary>Per plain turn through the gateway: <c>redis</c> commands (and <c>redis:&lt;command&gt;</c> each), <c>postgres:&lt;database&gt;</c> transactions.</summary>
    public Dictionary<string, double> ServerWorkPerTurn { get; set; } = [];
    public Dictionary<string, double> IdlePercentOfMachine { get; set; } = [];

    /// <summary>
    /// The part of each process's idle spent by the runtime's background JIT (tiered re-compilation), which passes.
    /// </summary>
    public Dictionary<string, double> IdleJitPercentOfMachine { get; set; } = [];
    public double IdleMachinePercent { get; set; }

    /// <summary>How long the platform rested after the last request before idle was measured (<c>--idle-settle</c>).</summary>
    public double IdleSettleSeconds { get; set; }
    [JsonPropertyName("rss_mib")]
    public Dictionary<string, double> RssMiB { get; set; } = [];

    /// <summary>Each server's resident memory by kind (<c>anon</c>, <c>file</c>, <c>shmem</c>), in MiB.</summary>
    [JsonPropertyName("rss_breakdown_mib")]
    public Dictionary<string, Dictionary<string, double>> RssBreakdownMiB { get; set; } = [];
    public ResolutionSummary? AgentResolution { get; set; }
    public ReconcileSummary? MemoryReconcile { get; set; }

    // Derived figures: the issue's goals, each a ratio or difference taken within this one run (null when its phase did not run).
    public double? PlainTurnAddedP50Ms => Both(PlainTurn1User, "gateway", "direct", (a, b) => a.P50 - b.P50);
    public double? PlainTurnAddedP99Ms => Both(PlainTurn1User, "gateway", "direct", (a, b) => a.P99 - b.P99);
    public double? PlainTurnsLoadRatio => Both(PlainTurnsLoad, "gateway", "direct", (a, b) => a.TurnsPerSecond / b.TurnsPerSecond);
    public double? StreamedFirstEventAddedP50Ms => Both(StreamedTurn, "gateway", "direct", (a, b) => a.FirstEvent.P50 - b.FirstEvent.P50);
    public double? TasksReadGatewayRatio => Both(TasksRead, "gateway", "tool-execution", (a, b) => a.TurnsPerSecond / b.TurnsPerSecond);
    public double PlatformCpuMsPerTurn => CpuMsPerTurn.Where(p => !IsBackend(p.Key)).Sum(p => p.Value.ViaGateway);
    public double PlatformContextSwitchesPerTurn => ContextSwitchesPerTurn.Where(p => !IsBackend(p.Key)).Sum(p => p.Value);
    public double BackendCpuMsPerDirectTurn => CpuMsPerTurn.Where(p => IsBackend(p.Key)).Sum(p => p.Value.Direct);
    public double IdlePlatformPercentOfMachine => IdlePercentOfMachine.Where(p => !IsBackend(p.Key)).Sum(p => p.Value);
    public double IdlePlatformJitPercentOfMachine => IdleJitPercentOfMachine.Where(p => !IsBackend(p.Key)).Sum(p => p.Value);

    private static double? Both<T>(Dictionary<string, T> figures, string a, string b, Func<T, T, double> derive) =>
        figures.TryGetValue(a, out var x) && figures.TryGetValue(b, out var y) ? derive(x, y) : null;

    /// <summary>LettaDev stands for Letta: its work is the backend's, not the platform's.</summary>
    public static bool IsBackend(string process) => process.StartsWith("letta", StringComparison.Ordinal);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void Print(TextWriter output)
    {
        var users = Options.Users;
        output.WriteLine();
        output.WriteLine($"| measure | direct to LettaDev | through the gateway | at chat-api | ratio / added |");
        output.WriteLine($"|---|---|---|---|---|");
        string L(Latency l) => $"{l.P50:0.00} / {l.P95:0.00} / {l.P99:0.00} ms";
        if (PlainTurn1User.Count > 0)
        {
            output.WriteLine($"| plain turn, 1 user, p50 / p95 / p99 | {L(PlainTurn1User["direct"])} | {L(PlainTurn1User["gateway"])} | {L(PlainTurn1User["chat-api"])} | +{PlainTurnAddedP50Ms:0.00} ms p50, +{PlainTurnAddedP99Ms:0.00} ms p99 |");
        }

        string T(LoadSummary s) => $"{s.TurnsPerSecond:0} /s (p50 {s.Latency.P50:0.0} ms, {s.Errors} errors)";
        if (PlainTurnsLoad.Count > 0)
        {
            output.WriteLine($"| plain turns/s, {users} users | {T(PlainTurnsLoad["direct"])} | {T(PlainTurnsLoad["gateway"])} | {T(PlainTurnsLoad["chat-api"])} | {PlainTurnsLoadRatio:0.000} of direct |");
        }

        string S(StreamSummary s) => $"{s.FirstEvent.P50:0.00} / {s.Done.P50:0.00} ms ({s.Events} events)";
        if (StreamedTurn.Count > 0)
        {
            output.WriteLine($"| streamed turn, first event / done, p50 | {S(StreamedTurn["direct"])} | {S(StreamedTurn["gateway"])} | | +{StreamedFirstEventAddedP50Ms:0.00} ms first event |");
        }

        if (ToolTurn is { } tool)
        {
            output.WriteLine($"| tool turn − plain turn, p50 / p99 | | +{tool.AddedP50Ms:0.00} / +{tool.AddedP99Ms:0.00} ms | | |");
        }

        if (TasksRead.Count > 0)
        {
            output.WriteLine($"| GET /api/tasks, {users} connections | {T(TasksRead["tool-execution"])} at the service | {T(TasksRead["gateway"])} | | {TasksReadGatewayRatio:0.00} of the service |");
        }

        output.WriteLine($"| CPU per plain turn, all platform processes | {BackendCpuMsPerDirectTurn:0.00} ms (LettaDev, direct turn) | {PlatformCpuMsPerTurn:0.00} ms ({PlatformContextSwitchesPerTurn:0} context switches) | | |");
        output.WriteLine($"| per plain turn: Redis commands / PostgreSQL transactions | | {ServerWorkPerTurn.GetValueOrDefault("redis"):0.0} / "
            + string.Join(", ", ServerWorkPerTurn.Where(p => p.Key.StartsWith("postgres:", StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key["postgres:".Length..]} {p.Value:0.0}")) + " | | |");
        output.WriteLine($"| idle {IdleSettleSeconds:0} s after the last request, platform processes (of it, background JIT) / whole machine | | {IdlePlatformPercentOfMachine:0.00} % ({IdlePlatformJitPercentOfMachine:0.00} %) / {IdleMachinePercent:0.00} % | | |");
        output.WriteLine($"| cold start to healthy | | {ColdStartMs / 1000:0.0} s | | |");
        if (AgentResolution is { } resolution)
        {
            string R(ResolutionPath p, double scale, string unit) =>
                $"{p.Latency.P50 * scale:0.00} / {p.Latency.P95 * scale:0.00} / {p.Latency.P99 * scale:0.00} {unit}, {p.PerSecond:0} /s";
            output.WriteLine($"| agent resolution, cache hit, p50 / p95 / p99 | | {R(resolution.CacheHit, 1000, "µs")} | | |");
            output.WriteLine($"| agent resolution over the bus, 1 caller / {resolution.BusRoundTripConcurrent.Concurrency} callers | | "
                + $"{R(resolution.BusRoundTrip, 1, "ms")} / {R(resolution.BusRoundTripConcurrent, 1, "ms")} | | "
                + $"+{resolution.BusAddedP50Ms:0.00} ms p50 over a bare request/response ({R(resolution.BareRequestResponse, 1, "ms")}) |");
        }

        if (MemoryReconcile is { } reconcile)
        {
            output.WriteLine($"| memory reconcile, {reconcile.Agents} agents ({reconcile.Seeded} seeded) | | {reconcile.DurationMs / 1000:0.00} s, {reconcile.AgentsPerSecond:0} agents/s, CPU "
                + string.Join(", ", reconcile.CpuMs.Where(p => p.Value >= 1).OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:0} ms"))
                + $"; memorydb: {reconcile.MemorydbTransactions} transactions, {reconcile.MemorydbSequentialScans} sequential scans, {reconcile.MemorydbRowsRead} rows read | | {reconcile.Drifted} drifted, {reconcile.Failed} failed |");
        }
        output.WriteLine();
        output.WriteLine("| process | CPU-ms per gateway turn | CPU-ms per direct turn | context switches per gateway turn | idle % of machine (background JIT) | RSS MiB |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var name in RssMiB.Keys.Order(StringComparer.Ordinal))
        {
            var cpu = CpuMsPerTurn.GetValueOrDefault(name);
            output.WriteLine($"| {name} | {cpu?.ViaGateway:0.00} | {cpu?.Direct:0.00} | {ContextSwitchesPerTurn.GetValueOrDefault(name):0.0} | {IdlePercentOfMachine.GetValueOrDefault(name):0.00} ({IdleJitPercentOfMachine.GetValueOrDefault(name):0.00}) | {RssMiB.GetValueOrDefault(name):0} |");
        }
    }
}
