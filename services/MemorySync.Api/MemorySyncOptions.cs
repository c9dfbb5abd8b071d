using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.MemorySync.Api;

public sealed class MemorySyncOptions
{
    public const string SectionName = "MemorySync";

    /// <summary>How often the push worker looks for pending blocks whose next attempt is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PushPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>First retry delay of a failed push; doubles per attempt up to <see cref="PushMaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PushMinRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan PushMaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Interval of the periodic reconcile; zero turns it off (admins can still run it on demand).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many agents reconcile (and scheduled snapshots) read from Letta at once, so thousands of agents do not flood it.</summary>
    [Range(1, 256)]
    public int ReconcileParallelism { get; set; } = 8;

    /// <summary>Interval of scheduled snapshots per agent; zero turns them off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Snapshots kept per agent; older ones are deleted when a new one is taken.</summary>
    [Range(1, 1000)]
    public int SnapshotRetention { get; set; } = 10;

    /// <summary>Share of its limit above which a block counts as near its limit in the overview.</summary>
    [Range(0.0, 1.0)]
    public double NearLimitShare { get; set; } = 0.8;
}
