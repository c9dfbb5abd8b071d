using System.Diagnostics;

namespace LettaPlatform.Bench;

/// <summary>Latencies in milliseconds, summarised as percentiles (nearest rank).</summary>
public sealed class Samples
{
    private readonly List<double> _values = [];

    public int Count => _values.Count;

    public void Add(double milliseconds) => _values.Add(milliseconds);

    public double Percentile(double p)
    {
        if (_values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public void CopyTo(Samples other) => other._values.AddRange(_values);

    public Latency Summary() => new(Percentile(50), Percentile(95), Percentile(99), Count);

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
