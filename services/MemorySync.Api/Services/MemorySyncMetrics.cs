using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LettaPlatform.MemorySync.Api.Services;

public sealed class MemorySyncMetrics
{
    public const string MeterName = "LettaPlatform.MemorySync";

    private readonly Histogram<double> _syncLag;
    private readonly Counter<long> _conflicts;
    private readonly Histogram<double> _reconcileDuration;
    private readonly Counter<long> _driftFound;
    private readonly Counter<long> _versions;
    private readonly Histogram<double> _fill;
    private readonly Counter<long> _reverted;
    private long _pendingPushes;

    public MemorySyncMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _syncLag = meter.CreateHistogram<double>("memory_sync.sync_lag", "s", "Time from a new version to Letta holding it.");
        _conflicts = meter.CreateCounter<long>("memory_sync.conflicts", description: "Crossing user and agent edits detected.");
        _reconcileDuration = meter.CreateHistogram<double>("memory_sync.reconcile.duration", "s", "Duration of a reconcile over all agents.");
        _driftFound = meter.CreateCounter<long>("memory_sync.reconcile.drift", description: "Blocks found changed in Letta by reconcile.");
        _versions = meter.CreateCounter<long>("memory_sync.block_versions", description: "Block versions written, by who changed the block (kind: agent, user, rollback, restore, platform), label and template.");
        _fill = meter.CreateHistogram<double>("memory_sync.block_fill", "1", "Share of its limit a block holds after each new version, by label and template.");
        _reverted = meter.CreateCounter<long>("memory_sync.agent_edits_reverted", description: "Agent edits a person undid right after (a rollback, or an edit back to the value before), by label and template.");
        meter.CreateObservableGauge("memory_sync.pushes_pending", () => Interlocked.Read(ref _pendingPushes), description: "Blocks waiting for their push to Letta.");
    }

    public void SyncLag(TimeSpan lag) => _syncLag.Record(Math.Max(0, lag.TotalSeconds));

    public void ConflictDetected() => _conflicts.Add(1);

    public void ReconcileCompleted(TimeSpan duration, int drift)
    {
        _reconcileDuration.Record(duration.TotalSeconds);
        _driftFound.Add(drift);
    }

    /// <summary>A version was saved: who changed the block and how full it is now.</summary>
    public void VersionSaved(string kind, string label, string template, int size, int limit)
    {
        var tags = new TagList { { "kind", kind }, { "label", label }, { "template", template } };
        _versions.Add(1, tags);
        if (limit > 0)
        {
            _fill.Record((double)size / limit, new TagList { { "label", label }, { "template", template } });
        }
    }

    public void AgentEditReverted(string label, string template) =>
        _reverted.Add(1, new TagList { { "label", label }, { "template", template } });

    /// <summary>Set by the push worker on each pass, so the gauge never queries the database itself.</summary>
    public void PendingPushes(long count) => Interlocked.Exchange(ref _pendingPushes, count);
}
