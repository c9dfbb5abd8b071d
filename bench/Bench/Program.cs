using System.Diagnostics;

namespace LettaPlatform.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Bench -- [--tiny] [--phases A,B] [--idle-settle SECONDS] [--out FILE]</c>: starts
/// the platform, measures it beside LettaDev alone, prints a table and writes the figures as JSON.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = args.Contains("--tiny") ? BenchOptions.Tiny : BenchOptions.Full;
        var outIndex = Array.IndexOf(args, "--out");
        var outFile = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : null;
        var phasesIndex = Array.IndexOf(args, "--phases");
        if (phasesIndex >= 0 && phasesIndex + 1 < args.Length)
        {
            var phases = args[phasesIndex + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
            if (phases.Except(BenchOptions.AllPhases).FirstOrDefault() is { } unknown)
            {
                Console.Error.WriteLine($"unknown phase '{unknown}'; the phases are {string.Join(", ", BenchOptions.AllPhases)}");
                return 2;
            }

            options = options with { Phases = phases };
        }

        // How long the platform rests before idle is measured (10 s unless told): minutes show the idle that lasts.
        var settleIndex = Array.IndexOf(args, "--idle-settle");
        if (settleIndex >= 0)
        {
            if (settleIndex + 1 >= args.Length || !int.TryParse(args[settleIndex + 1], out var seconds) || seconds < 0)
            {
                Console.Error.WriteLine("--idle-settle takes a whole number of seconds");
                return 2;
            }

            options = options with { IdleSettle = TimeSpan.FromSeconds(seconds) };
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        Console.Error.WriteLine("starting the platform …");
        await using var platform = new BenchPlatform();
        var started = Stopwatch.StartNew();
        await platform.InitializeAsync();
        var coldStart = started.Elapsed;

        var report = await new Benchmark(platform, options, Console.Error).RunAsync(stop.Token);
        report.ColdStartMs = coldStart.TotalMilliseconds;
        report.Print(Console.Out);
        if (outFile is not null)
        {
            await File.WriteAllTextAsync(outFile, report.ToJson(), stop.Token);
            Console.Error.WriteLine($"figures written to {outFile}");
        }

        return 0;
    }
}
