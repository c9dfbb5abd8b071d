using System.Diagnostics;

namespace LettaPlatform.Bench;

/// <summary>Latencies in milliseconds, summarised as percentiles (nearest rank).</summary>
public sealed class Samples
{
    private readonly List<double> _values = [];

    public int Count => _values.Count;

    public void Add(double milliseconds) => _values.Add(milliseconds);

    public double Percentile(double p) => Percentile(_values.Order().ToList(), p);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public void CopyTo(Samples other) => other._values.AddRange(_values);

    public Latency Summary()
    {
        var sorted = _values.Order().ToList();
        return new(Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99), Count);
    }

    /// <summary>Runs <paramref name="action"/> and records how long it took.</summary>
    public async Task TimeAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}

/// <summary>p50/p95/p99 in milliseconds over <see cref="Count"/> samples.</summary>
public sealed record Latency(double P50, double P95, double P99, int Count);
