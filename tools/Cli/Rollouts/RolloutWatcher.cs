using System.Diagnostics;
using System.Net;
using LettaPlatform.Cli.Platform;

namespace LettaPlatform.Cli.Rollouts;

/// <summary>A watched rollout was still in its phase when the watch's time ran out; the platform carries on with it.</summary>
public sealed class WatchTimedOutException(Rollout rollout, TimeSpan timeout)
    : Exception($"rollout {rollout.Id} of {rollout.TemplateId} is still {rollout.Status} after {timeout}; it goes on in the platform: "
        + $"follow it with `lettactl rollout watch {rollout.TemplateId} {rollout.Id}`.")
{
    public Rollout Rollout { get; } = rollout;
}

/// <summary>
/// Follows a rollout through the admin API until its current phase is over (the canary share updated, the
/// promotion or the rollback finished), with a progress line whenever the counts move and at least every
/// <see cref="HeartbeatInterval"/> while they do not. The work itself is the platform's rollout worker's.
/// </summary>
public sealed class RolloutWatcher(PlatformClient platform, TextWriter output, TimeSpan pollInterval, TimeSpan timeout)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan RateLimitedWait = TimeSpan.FromSeconds(10);

    public async Task<Rollout> WatchAsync(string templateId, Guid rolloutId, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastPrinted = TimeSpan.Zero;
        string? lastLine = null;
        while (true)
        {
            Rollout rollout;
            try
            {
                rollout = await platform.GetRolloutAsync(templateId, rolloutId, cancellationToken);
            }
            catch (PlatformException ex) when (ex.Status == HttpStatusCode.TooManyRequests)
            {
                // The gateway's per-user request budget: look again later rather than give up on a rollout that goes on.
                await Task.Delay(RateLimitedWait, cancellationToken);
                continue;
            }

            var line = ProgressLine(rollout);
            if (line != lastLine || clock.Elapsed - lastPrinted >= HeartbeatInterval)
            {
                await output.WriteLineAsync($"  [{clock.Elapsed:mm\\:ss}] {line}");
                await output.FlushAsync(cancellationToken);
                (lastLine, lastPrinted) = (line, clock.Elapsed);
            }

            if (PhaseOver(rollout))
            {
                return rollout;
            }

            if (clock.Elapsed >= timeout)
            {
                throw new WatchTimedOutException(rollout, timeout);
            }

            await Task.Delay(pollInterval, cancellationToken);
        }
    }

    /// <summary>The phase's agents still to be handled by the platform: canaries in the canary phase, every agent after promote, the reached ones in a rollback.</summary>
    public static int Remaining(Rollout rollout) => rollout.Status switch
    {
        Rollout.Canary => rollout.Agents.Count(a => a.Canary && a.State == "pending"),
        Rollout.Promoting => rollout.Progress.Pending,
        Rollout.RollingBack => rollout.Progress.Pending + rollout.Progress.Applied + rollout.Progress.Failed,
        _ => 0,
    };

    public static bool PhaseOver(Rollout rollout) => rollout.Status switch
    {
        Rollout.Canary => Remaining(rollout) == 0,
        Rollout.Promoting or Rollout.RollingBack => false,
        _ => true,
    };

    public static string ProgressLine(Rollout rollout)
    {
        var progress = rollout.Progress;
        var target = rollout.Status == Rollout.Canary ? progress.Canary : progress.Total;
        var done = target - Remaining(rollout);
        var percent = target == 0 ? 100 : done * 100 / target;
        var counts = rollout.Status is Rollout.RollingBack or Rollout.RolledBack
            ? $"rolled back {progress.RolledBack}  rollback failed {progress.RollbackFailed}"
            : $"applied {progress.Applied}  failed {progress.Failed}  skipped {progress.Skipped}";
        return $"{rollout.Status,-12} {done}/{target} agents ({percent}%)  {counts}";
    }
}
