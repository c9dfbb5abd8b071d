using System.Text.Json.Nodes;
using LettaPlatform.Bench;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>
/// The benchmark (<c>bench/Bench</c>) at a tiny scale against this platform: it is not timed here (figures from a test
/// run mean nothing), only shown to still run every phase and produce every figure the README promises.
/// </summary>
public class BenchmarkTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task Benchmark_TinyScale_MeasuresEveryPhaseWithoutErrors()
    {
        var report = await new Benchmark(platform, BenchOptions.Tiny, TextWriter.Null).RunAsync(TestContext.Current.CancellationToken);
        var json = JsonNode.Parse(report.ToJson())!.AsObject();
        using var table = new StringWriter();
        report.Print(table);

        Assert.All(["direct", "gateway", "chat-api"], target =>
        {
            Assert.Equal(BenchOptions.Tiny.Turns, report.PlainTurn1User[target].Count);
            Assert.True(report.PlainTurnsLoad[target] is { TurnsPerSecond: > 0, Errors: 0 }, $"{target}: {report.PlainTurnsLoad[target]}");
        });
        Assert.All(report.StreamedTurn.Values, stream => Assert.True(stream.Events > 1 && stream.FirstEvent.P50 <= stream.Done.P50, stream.ToString()));
        Assert.Equal(0, report.TasksRead["gateway"].Errors + report.TasksRead["tool-execution"].Errors);
        Assert.Contains(report.CpuMsPerTurn.Keys, name => name.StartsWith("chat-api", StringComparison.Ordinal));
        Assert.Contains(report.CpuMsPerTurn.Keys, BenchReport.IsBackend);
        Assert.True(report.PlatformCpuMsPerTurn > 0, table.ToString());
        Assert.All(report.RssMiB, process => Assert.True(process.Value > 0, process.Key));
        Assert.Equal(report.IdlePercentOfMachine.Keys.Order(), report.IdleJitPercentOfMachine.Keys.Order());
        Assert.All(report.IdleJitPercentOfMachine, process => Assert.True(process.Value >= 0, process.Key));
        Assert.All(["redis", "postgres:chatdb", "postgres:agentsdb", "postgres:toolsdb", "postgres:memorydb"],
            counter => Assert.True(report.ServerWorkPerTurn.ContainsKey(counter), $"{counter} missing: {table}"));
        Assert.True(report.AgentResolution is { } resolution
            && resolution.CacheHit.Latency.Count == BenchOptions.Tiny.CacheHits
            && resolution.BusRoundTrip.Latency.Count == BenchOptions.Tiny.Resolutions
            && resolution.BareRequestResponse.Latency.Count == BenchOptions.Tiny.Resolutions
            && resolution.BusRoundTripConcurrent.PerSecond > 0, $"{report.AgentResolution}");
        // The benchmark itself checks that no seeded agent failed or drifted.
        Assert.True(report.MemoryReconcile is { } reconcile && reconcile.Seeded == BenchOptions.Tiny.ReconcileAgents && reconcile.Agents >= reconcile.Seeded
            && reconcile.CpuMs.Keys.Any(name => name.StartsWith("memory-sync-api", StringComparison.Ordinal)), $"{report.MemoryReconcile}");
        Assert.All(["plain_turn_added_p50_ms", "plain_turns_load_ratio", "streamed_first_event_added_p50_ms", "tasks_read_gateway_ratio",
            "platform_cpu_ms_per_turn", "server_work_per_turn", "idle_platform_percent_of_machine", "idle_platform_jit_percent_of_machine", "rss_mib",
            "agent_resolution", "memory_reconcile"], key => Assert.True(json.ContainsKey(key), $"{key} missing: {json}"));
    }
}
