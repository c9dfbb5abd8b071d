using Aspire.Hosting;
using Aspire.Hosting.Testing;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using LettaPlatform.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.Bench;

/// <summary>
/// Measures a running platform side by side with LettaDev alone, in one run (this machine is noisy: only ratios
/// taken together mean anything). Each phase interleaves or alternates its targets, after a warm-up.
/// </summary>
public sealed class Benchmark(PlatformFixture platform, BenchOptions options, TextWriter log)
{
    private const string Plain = "hello";
    private const string ToolTurn = "list my tasks";
    private const string Streamed = "tell me a story about a lighthouse keeper and the sea";

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new BenchReport { Options = options };
        log.WriteLine($"setting up {options.Users} users …");
        var users = new List<BenchUser>();
        for (var i = 0; i < options.Users; i++)
        {
            users.Add(await BenchUser.CreateAsync(platform, i, cancellationToken));
        }

        var one = users[0];
        ITurnTarget[] targets = [one.Direct, one.Gateway, one.ChatApi];

        log.WriteLine("warming up …");
        foreach (var target in users.SelectMany(u => new ITurnTarget[] { u.Direct, u.Gateway, u.ChatApi }))
        {
            for (var i = 0; i < options.WarmUp; i++)
            {
                await target.SendAsync(Plain, cancellationToken);
            }
        }

        await one.Gateway.SendAsync(ToolTurn, cancellationToken);
        await one.Gateway.StreamAsync(Streamed, cancellationToken);
        await one.Direct.StreamAsync(Streamed, cancellationToken);

        if (options.Runs("plain"))
        {
            log.WriteLine("plain turns, 1 user …");
            var latency = targets.ToDictionary(t => t.Name, _ => new Samples());
            for (var i = 0; i < options.Turns; i++)
            {
                // Rotated order, so no target always runs right after another.
                for (var j = 0; j < targets.Length; j++)
                {
                    var target = targets[(i + j) % targets.Length];
                    await latency[target.Name].TimeAsync(() => target.SendAsync(Plain, cancellationToken));
                }
            }

            report.PlainTurn1User = latency.ToDictionary(p => p.Key, p => p.Value.Summary());
        }

        if (options.Runs("load"))
        {
            log.WriteLine($"plain turns, {options.Users} users …");
            foreach (var name in targets.Select(t => t.Name))
            {
                report.PlainTurnsLoad[name] = await LoadAsync(users.Select(u => u.Target(name)).ToList(), cancellationToken);
            }
        }

        if (options.Runs("streamed"))
        {
            log.WriteLine("streamed turns …");
            var first = new Dictionary<string, Samples> { ["direct"] = new(), ["gateway"] = new() };
            var done = new Dictionary<string, Samples> { ["direct"] = new(), ["gateway"] = new() };
            var events = new Dictionary<string, int>();
            for (var i = 0; i < options.StreamedTurns; i++)
            {
                foreach (var target in new ITurnTarget[] { one.Direct, one.Gateway })
                {
                    var timing = await target.StreamAsync(Streamed, cancellationToken);
                    first[target.Name].Add(timing.FirstEventMs);
                    done[target.Name].Add(timing.DoneMs);
                    events[target.Name] = timing.Events;
                }
            }

            report.StreamedTurn = first.Keys.ToDictionary(k => k, k => new StreamSummary(first[k].Summary(), done[k].Summary(), events[k]));
        }

        if (options.Runs("tool"))
        {
            log.WriteLine("tool turns …");
            var tool = new Samples();
            var plain = new Samples();
            for (var i = 0; i < options.ToolTurns; i++)
            {
                await tool.TimeAsync(() => one.Gateway.SendAsync(ToolTurn, cancellationToken));
                await plain.TimeAsync(() => one.Gateway.SendAsync(Plain, cancellationToken));
            }

            report.ToolTurn = new ToolSummary(tool.Summary(), plain.Summary());
        }

        if (options.Runs("read"))
        {
            log.WriteLine("read route …");
            report.TasksRead["tool-execution"] = await ReadLoadAsync(one.ToolExecution, cancellationToken);
            report.TasksRead["gateway"] = await ReadLoadAsync(one.GatewayHttp, cancellationToken);
        }

        if (options.Runs("resolution"))
        {
            log.WriteLine("agent resolution …");
            report.AgentResolution = await new ResolutionBench(platform, options).RunAsync([.. users.Select(u => u.Agent)], cancellationToken);
        }

        var processes = Processes(platform);
        if (options.Runs("cpu"))
        {
            log.WriteLine($"CPU per turn ({processes.Count} processes) …");
            report.CpuMsPerTurn = await CpuPerTurnAsync(processes, one, report, cancellationToken);
        }

        if (options.Runs("work"))
        {
            log.WriteLine("server work per turn …");
            report.ServerWorkPerTurn = await ServerWorkPerTurnAsync(one, cancellationToken);
        }

        log.WriteLine($"idle for {options.IdleWindow.TotalSeconds:0} s …");
        // Settled first, so no request is still in flight. The runtime's background JIT is not done by then: it re-compiles
        // what the load made hot, and the pollers' code as their calls add up (each method after 30 calls), for minutes
        // after a start. Its share is measured apart, so the idle that lasts can be read beside the idle that passes.
        await Task.Delay(options.IdleSettle, cancellationToken);
        report.IdleSettleSeconds = options.IdleSettle.TotalSeconds;
        var machineBefore = ProcessStats.MachineCpuSeconds();
        var idleBefore = processes.ToDictionary(p => p.Key, p => ProcessStats.CpuSeconds(p.Value));
        var jit = processes.ToDictionary(p => p.Key, p => new ProcessStats.ThreadCpu(p.Value, ProcessStats.TieredCompilationThread));
        var window = Stopwatch.StartNew();
        while (window.Elapsed < options.IdleWindow)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            foreach (var reading in jit.Values)
            {
                reading.Read();
            }
        }

        var idleSeconds = window.Elapsed.TotalSeconds;

        var cores = Environment.ProcessorCount;
        report.IdlePercentOfMachine = processes.ToDictionary(
            p => p.Key, p => 100 * (ProcessStats.CpuSeconds(p.Value) - idleBefore[p.Key]) / idleSeconds / cores);
        report.IdleJitPercentOfMachine = jit.ToDictionary(p => p.Key, p => 100 * p.Value.Seconds / idleSeconds / cores);
        report.IdleMachinePercent = 100 * (ProcessStats.MachineCpuSeconds() - machineBefore) / idleSeconds / cores;
        report.RssMiB = processes.ToDictionary(p => p.Key, p => ProcessStats.RssMiB(p.Value));
        report.RssBreakdownMiB = processes.ToDictionary(p => p.Key, p => ProcessStats.RssBreakdownMiB(p.Value));

        // Last: it leaves thousands of agents behind, which no earlier phase should carry.
        if (options.Runs("reconcile"))
        {
            log.WriteLine($"memory reconcile of {options.ReconcileAgents} agents …");
            report.MemoryReconcile = await new ReconcileBench(platform, options, log).RunAsync(one.Agent, cancellationToken);
        }

        return report;
    }

    private async Task<LoadSummary> LoadAsync(IReadOnlyList<ITurnTarget> targets, CancellationToken cancellationToken)
    {
        var samples = targets.Select(_ => new Samples()).ToList();
        var errors = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(targets.Select(async (target, i) =>
        {
            while (watch.Elapsed < options.LoadDuration)
            {
                try
                {
                    await samples[i].TimeAsync(() => target.SendAsync(Plain, cancellationToken));
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var merged = Merge(samples);
        return new LoadSummary(merged.Count / watch.Elapsed.TotalSeconds, merged.Summary(), errors);
    }

    private async Task<LoadSummary> ReadLoadAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var samples = Enumerable.Range(0, options.Users).Select(_ => new Samples()).ToList();
        var errors = 0;
        var remaining = options.ReadRequests;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(samples.Select(async s =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await s.TimeAsync(async () =>
                {
                    using var response = await client.GetAsync("/api/tasks", cancellationToken);
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                    }
                });
            }
        }));
        var merged = Merge(samples);
        return new LoadSummary(merged.Count / watch.Elapsed.TotalSeconds, merged.Summary(), errors);
    }

    /// <summary>
    /// CPU milliseconds each process spent per plain turn through the gateway, and LettaDev's own per direct turn:
    /// sequential turns, each process's CPU before and after, its idle rate (measured just before) taken off.
    /// </summary>
    private async Task<Dictionary<string, CpuSummary>> CpuPerTurnAsync(IReadOnlyDictionary<string, int> processes, BenchUser user, BenchReport report, CancellationToken cancellationToken)
    {
        var switchesBefore = processes.ToDictionary(p => p.Key, p => ProcessStats.ContextSwitches(p.Value));
        var idle = await CpuOverAsync(processes, () => Task.Delay(TimeSpan.FromSeconds(3), cancellationToken));
        var switchesIdle = processes.ToDictionary(p => p.Key, p => ProcessStats.ContextSwitches(p.Value) - switchesBefore[p.Key]);
        switchesBefore = processes.ToDictionary(p => p.Key, p => ProcessStats.ContextSwitches(p.Value));
        var viaGateway = await CpuOverAsync(processes, async () =>
        {
            for (var i = 0; i < options.CpuTurns; i++)
            {
                await user.Gateway.SendAsync(Plain, cancellationToken);
            }
        });
        report.ContextSwitchesPerTurn = processes.ToDictionary(p => p.Key, p =>
            LessIdle(ProcessStats.ContextSwitches(p.Value) - switchesBefore[p.Key], switchesIdle[p.Key], idle.Elapsed, viaGateway.Elapsed) / options.CpuTurns);
        var direct = await CpuOverAsync(processes, async () =>
        {
            for (var i = 0; i < options.CpuTurns; i++)
            {
                await user.Direct.SendAsync(Plain, cancellationToken);
            }
        });

        double PerTurn((Dictionary<string, double> Cpu, TimeSpan Elapsed) run, string name) =>
            LessIdle(run.Cpu[name], idle.Cpu[name], idle.Elapsed, run.Elapsed) * 1000 / options.CpuTurns;

        return processes.Keys.ToDictionary(name => name, name => new CpuSummary(PerTurn(viaGateway, name), PerTurn(direct, name)));
    }

    /// <summary>
    /// Redis commands and PostgreSQL transactions (per database) per plain turn through the gateway: the servers'
    /// own counters over sequential turns, less what the same time idle costs (pollers, health probes).
    /// </summary>
    private async Task<Dictionary<string, double>> ServerWorkPerTurnAsync(BenchUser user, CancellationToken cancellationToken)
    {
        await using var counters = await ServerCounters.ConnectAsync(
            (await platform.App.GetConnectionStringAsync("redis", cancellationToken))!,
            (await platform.App.GetConnectionStringAsync("postgres", cancellationToken))!);
        async Task<(Dictionary<string, long> Delta, TimeSpan Elapsed)> OverAsync(Func<Task> work)
        {
            var before = await counters.ReadAsync();
            var watch = Stopwatch.StartNew();
            await work();
            watch.Stop();
            var after = await counters.ReadAsync();
            return (after.ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key)), watch.Elapsed);
        }

        var idle = await OverAsync(() => Task.Delay(TimeSpan.FromSeconds(3), cancellationToken));
        var turns = await OverAsync(async () =>
        {
            for (var i = 0; i < options.CpuTurns; i++)
            {
                await user.Gateway.SendAsync(Plain, cancellationToken);
            }
        });

        // Each reading waits 1.1 s for PostgreSQL's statistics: both windows carry two of those waits of idle work.
        var idleWindow = idle.Elapsed + TimeSpan.FromSeconds(2.2);
        var turnsWindow = turns.Elapsed + TimeSpan.FromSeconds(2.2);
        return turns.Delta.ToDictionary(
            p => p.Key,
            p => LessIdle(p.Value, idle.Delta.GetValueOrDefault(p.Key), idleWindow, turnsWindow) / options.CpuTurns);
    }

    /// <summary>What a run cost beyond idling: <paramref name="during"/> less the idle rate (<paramref name="idle"/> over <paramref name="idleWindow"/>) for the run's length; never below zero.</summary>
    internal static double LessIdle(double during, double idle, TimeSpan idleWindow, TimeSpan runWindow) =>
        Math.Max(0, during - idle / idleWindow.TotalSeconds * runWindow.TotalSeconds);

    /// <summary>Each process's CPU seconds over <paramref name="work"/>, and how long it took.</summary>
    internal static async Task<(Dictionary<string, double> Cpu, TimeSpan Elapsed)> CpuOverAsync(IReadOnlyDictionary<string, int> processes, Func<Task> work)
    {
        var before = processes.ToDictionary(p => p.Key, p => ProcessStats.CpuSeconds(p.Value));
        var watch = Stopwatch.StartNew();
        await work();
        watch.Stop();
        return (processes.ToDictionary(p => p.Key, p => ProcessStats.CpuSeconds(p.Value) - before[p.Key]), watch.Elapsed);
    }

    /// <summary>Each running resource replica's process id, as DCP reports it (<c>executable.pid</c>).</summary>
    internal static Dictionary<string, int> Processes(PlatformFixture platform)
    {
        var model = platform.App.Services.GetRequiredService<DistributedApplicationModel>();
        var result = new Dictionary<string, int>();
        foreach (var resource in model.Resources)
        {
            var replicas = platform.Replicas(resource.Name);
            for (var i = 0; i < replicas.Count; i++)
            {
                var pid = replicas[i].Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
                if (pid is not null && int.TryParse(pid.ToString(), out var id))
                {
                    result[replicas.Count == 1 ? resource.Name : $"{resource.Name}#{i + 1}"] = id;
                }
            }
        }

        return result;
    }

    private static Samples Merge(IEnumerable<Samples> parts)
    {
        var merged = new Samples();
        foreach (var part in parts)
        {
            part.CopyTo(merged);
        }

        return merged;
    }
}
