using LettaPlatform.Cli.Platform;

namespace LettaPlatform.Cli.Rollouts;

/// <summary>
/// Takes a rollout through its phases as an operator would: watch the canary share, then promote it when
/// no canary agent failed, or roll it back when one did. Each result is printed with the next command to run.
/// </summary>
public sealed class RolloutDriver(PlatformClient platform, RolloutWatcher watcher, TextWriter output)
{
    /// <summary>Watches a started rollout's canary phase and, with <paramref name="promoteWhenHealthy"/>, decides it.</summary>
    public async Task<int> FollowAsync(Rollout rollout, bool promoteWhenHealthy, CancellationToken cancellationToken)
    {
        var canary = await watcher.WatchAsync(rollout.TemplateId, rollout.Id, cancellationToken);
        if (!promoteWhenHealthy || canary.Status != Rollout.Canary)
        {
            return await ReportAsync(canary, rollbackRequested: false);
        }

        if (canary.Progress.Failed > 0)
        {
            await output.WriteLineAsync($"{canary.TemplateId}: the canary is unhealthy ({canary.Progress.Failed} of {canary.Progress.Canary} agents failed); rolling back");
            await PrintFailuresAsync(canary);
            await ReportAsync(await RollBackAndWatchAsync(canary, cancellationToken), rollbackRequested: true);
            return ExitCodes.RolloutFailed;
        }

        await output.WriteLineAsync($"{canary.TemplateId}: the canary is healthy ({canary.Progress.Applied} of {canary.Progress.Canary} agents updated, none failed); promoting");
        return await PromoteAsync(canary, watch: true, cancellationToken);
    }

    public async Task<int> PromoteAsync(Rollout rollout, bool watch, CancellationToken cancellationToken)
    {
        var promoted = await platform.PromoteRolloutAsync(rollout.TemplateId, rollout.Id, cancellationToken);
        if (!watch)
        {
            await output.WriteLineAsync($"{promoted.TemplateId}: rollout {promoted.Id} is {promoted.Status}; {RolloutWatcher.ProgressLine(promoted)}");
            return ExitCodes.Success;
        }

        return await ReportAsync(await watcher.WatchAsync(promoted.TemplateId, promoted.Id, cancellationToken), rollbackRequested: false);
    }

    public async Task<int> RollBackAsync(Rollout rollout, bool watch, CancellationToken cancellationToken)
    {
        if (!watch)
        {
            var rollingBack = await platform.RollBackRolloutAsync(rollout.TemplateId, rollout.Id, cancellationToken);
            await output.WriteLineAsync($"{rollingBack.TemplateId}: rollout {rollingBack.Id} is {rollingBack.Status}; {RolloutWatcher.ProgressLine(rollingBack)}");
            return ExitCodes.Success;
        }

        return await ReportAsync(await RollBackAndWatchAsync(rollout, cancellationToken), rollbackRequested: true);
    }

    /// <summary>Prints where the rollout ended up and the next step; the exit code says whether that is a success.</summary>
    public async Task<int> ReportAsync(Rollout rollout, bool rollbackRequested)
    {
        var p = rollout.Progress;
        var (message, exitCode) = rollout.Status switch
        {
            Rollout.Canary when Remaining(rollout) > 0 =>
                ($"the canary is still being updated; follow it with `lettactl rollout watch {Ids(rollout)}`", ExitCodes.Success),
            Rollout.Canary when p.Failed > 0 =>
                ($"the canary finished with {Plural.Count(p.Failed, "failed agent")}; roll back with `lettactl rollout rollback {Ids(rollout)}`", ExitCodes.RolloutFailed),
            Rollout.Canary =>
                ($"the canary is healthy ({p.Applied} of {p.Canary} agents on v{rollout.Version}); promote with `lettactl rollout promote {Ids(rollout)}`", ExitCodes.Success),
            Rollout.Completed when p.Failed > 0 =>
                ($"v{rollout.Version} is active, but {Plural.Count(p.Failed, "agent")} failed and stayed on their version", ExitCodes.RolloutFailed),
            Rollout.Completed =>
                ($"v{rollout.Version} is active; {Plural.Count(p.Applied, "agent")} updated, {p.Skipped} skipped", ExitCodes.Success),
            Rollout.RolledBack when p.RollbackFailed > 0 =>
                ($"rolled back to v{rollout.PreviousActiveVersion}, but {Plural.Count(p.RollbackFailed, "agent")} could not be returned", ExitCodes.RolloutFailed),
            Rollout.RolledBack =>
                ($"rolled back: v{rollout.PreviousActiveVersion} is active again, {Plural.Count(p.RolledBack, "agent")} returned to their version", rollbackRequested ? ExitCodes.Success : ExitCodes.RolloutFailed),
            _ => ($"rollout {rollout.Id} is {rollout.Status}", ExitCodes.Success),
        };

        await output.WriteLineAsync($"{rollout.TemplateId}: {message}");
        if (exitCode != ExitCodes.Success)
        {
            await PrintFailuresAsync(rollout);
        }

        return exitCode;
    }

    private async Task<Rollout> RollBackAndWatchAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        var rollingBack = await platform.RollBackRolloutAsync(rollout.TemplateId, rollout.Id, cancellationToken);
        return await watcher.WatchAsync(rollingBack.TemplateId, rollingBack.Id, cancellationToken);
    }

    private async Task PrintFailuresAsync(Rollout rollout)
    {
        const int Shown = 10;
        var failed = rollout.Agents.Where(a => a.Error is not null && a.State is "failed" or "rollback_failed").ToList();
        foreach (var agent in failed.Take(Shown))
        {
            await output.WriteLineAsync($"  agent {agent.AgentId} ({agent.State}): {agent.Error}");
        }

        if (failed.Count > Shown)
        {
            await output.WriteLineAsync($"  … and {failed.Count - Shown} more (`lettactl rollout status {Ids(rollout)}`)");
        }
    }

    private static int Remaining(Rollout rollout) => RolloutWatcher.Remaining(rollout);

    private static string Ids(Rollout rollout) => $"{rollout.TemplateId} {rollout.Id}";
}
