using System.Diagnostics.Metrics;

namespace LettaPlatform.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// How far the outbox relay is behind (meter <see cref="MeterName"/>): the age of the oldest message
/// it found committed but could not publish yet, 0 when it has caught up. It grows while the broker
/// is unreachable or a message keeps failing, so an alert can tell a stuck relay from a busy one.
/// </summary>
public sealed class OutboxMetrics
{
    public const string MeterName = "LettaPlatform.Outbox";

    private readonly TimeProvider _time;
    private long _oldestPendingTicks;

    public OutboxMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        meterFactory.Create(MeterName).CreateObservableGauge(
            "lettaplatform.outbox.oldest_pending_age",
            ObserveOldestPendingAge,
            "s",
            "Age of the oldest committed outbox message not yet published; 0 when the relay has caught up.");
    }

    /// <summary>Records the creation time of the oldest message still waiting, or null when none is.</summary>
    public void Pending(DateTimeOffset? oldest) => Interlocked.Exchange(ref _oldestPendingTicks, oldest?.UtcTicks ?? 0);

    private double ObserveOldestPendingAge()
    {
        var ticks = Interlocked.Read(ref _oldestPendingTicks);
        return ticks == 0 ? 0 : Math.Max(0, (_time.GetUtcNow().UtcTicks - ticks) / (double)TimeSpan.TicksPerSecond);
    }
}
