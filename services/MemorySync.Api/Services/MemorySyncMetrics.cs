using System.Diagnostics.Metrics;

namespace LettaPlatform.MemorySync.Api.Services;

public sealed class MemorySyncMetrics
{
    public const string MeterName = "LettaPlatform.MemorySync";

    private readonly Histogram<double> _syncLag;
    private readonly Counter<long> _conflicts;
    private readonly Histogram<double> _reconcileDuration;
    private readonly Counter<long> _driftFound;
    private long _pendingPushes;

    public MemorySyncMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _syncLag = meter.CreateHistogram<double>("memory_sync.sync_lag", "s", "Time from a new version to Letta holding it.");
        _conflicts = meter.CreateCounter<long>("memory_sync.conflicts", description: "Crossing user and agent edits detected.");
        _reconcileDuration = meter.CreateHistogram<double>("memory_sync.reconcile.duration", "s", "Duration of a reconcile over all agents.");
        _driftFound = meter.CreateCounter<long>("memory_sync.reconcile.drift", description: "Blocks found changed in Letta by reconcile.");
        meter.CreateObservableGauge("memory_sync.pushes_pending", () => Interlocked.Read(ref _pendingPushes), description: "Blocks waiting for their push to Letta.");
    }

    public void SyncLag(TimeSpan lag) => _syncLag.Record(Math.Max(0, lag.TotalSeconds));

    public void ConflictDetected() => _conflicts.Add(1);

    public void ReconcileCompleted(TimeSpan duration, int drift)
    {
        _reconcileDuration.Record(duration.TotalSeconds);
        _driftFound.Add(drift);
    }

    /// <summary>Set by the push worker on each pass, so the gauge never queries the database itself.</summary>
    public void PendingPushes(long count) => Interlocked.Exchange(ref _pendingPushes, count);
}
