using System.CommandLine;
using LettaPlatform.Cli.Rollouts;

namespace LettaPlatform.Cli.Commands;

/// <summary><c>lettactl rollout start|status|watch|promote|rollback</c>: one template rollout, by template and rollout id.</summary>
public static class RolloutCommands
{
    public static Command Create(CliContext cli)
    {
        var rollout = new Command("rollout", "A template's rollout: a canary share of its agents first, then all of them");
        rollout.Subcommands.Add(Start(cli));
        rollout.Subcommands.Add(Status(cli));
        rollout.Subcommands.Add(Watch(cli));
        rollout.Subcommands.Add(Promote(cli));
        rollout.Subcommands.Add(Rollback(cli));
        return rollout;
    }

    private static Command Start(CliContext cli)
    {
        var template = TemplateArgument();
        var version = new Argument<int>("version") { Description = "The published version to roll out" };
        var canaryPercent = new Option<int>("--canary-percent", "--rollout-percent")
        {
            Description = "The share of the template's agents updated first (0-100)",
            Required = true,
        };
        var watch = new Option<bool>("--watch") { Description = "Follow the canary phase until it is done" };
        var promote = new Option<bool>("--promote-when-healthy") { Description = "Then promote when no canary agent failed, or roll back (implies --watch)" };
        var watchOptions = new WatchOptions();
        var command = new Command("start", "Start rolling a published version out") { template, version, canaryPercent, watch, promote };
        watchOptions.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, async platform =>
        {
            var rollout = await platform.StartRolloutAsync(parseResult.GetValue(template)!, parseResult.GetValue(version), parseResult.GetValue(canaryPercent), cancellationToken);
            await cli.Output.WriteLineAsync($"{rollout.TemplateId}: rollout {rollout.Id} of v{rollout.Version} started: {rollout.Progress.Canary} of {rollout.Progress.Total} agents in the canary");
            if (!parseResult.GetValue(watch) && !parseResult.GetValue(promote))
            {
                return ExitCodes.Success;
            }

            var driver = new RolloutDriver(platform, cli.CreateWatcher(parseResult, watchOptions, platform), cli.Output);
            return await driver.FollowAsync(rollout, parseResult.GetValue(promote), cancellationToken);
        }, cancellationToken));
        return command;
    }

    private static Command Status(CliContext cli)
    {
        var (template, rolloutId) = (TemplateArgument(), RolloutArgument());
        var command = new Command("status", "Show a rollout's phase, counts and failed agents") { template, rolloutId };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, async platform =>
        {
            var rollout = await platform.GetRolloutAsync(parseResult.GetValue(template)!, parseResult.GetValue(rolloutId), cancellationToken);
            await cli.Output.WriteLineAsync($"{rollout.TemplateId}: rollout {rollout.Id}, v{rollout.PreviousActiveVersion} → v{rollout.Version}, canary {rollout.CanaryPercent}%");
            await cli.Output.WriteLineAsync($"  {RolloutWatcher.ProgressLine(rollout)}");
            foreach (var agent in rollout.Agents.Where(a => a.Error is not null))
            {
                await cli.Output.WriteLineAsync($"  agent {agent.AgentId} ({agent.State}): {agent.Error}");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Watch(CliContext cli)
    {
        var (template, rolloutId) = (TemplateArgument(), RolloutArgument());
        var promote = new Option<bool>("--promote-when-healthy") { Description = "At the end of the canary phase, promote when no canary agent failed, or roll back" };
        var watchOptions = new WatchOptions();
        var command = new Command("watch", "Follow a rollout until its current phase is over") { template, rolloutId, promote };
        watchOptions.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, async platform =>
        {
            var rollout = await platform.GetRolloutAsync(parseResult.GetValue(template)!, parseResult.GetValue(rolloutId), cancellationToken);
            var watcher = cli.CreateWatcher(parseResult, watchOptions, platform);
            var driver = new RolloutDriver(platform, watcher, cli.Output);
            return parseResult.GetValue(promote)
                ? await driver.FollowAsync(rollout, promoteWhenHealthy: true, cancellationToken)
                : await driver.ReportAsync(await watcher.WatchAsync(rollout.TemplateId, rollout.Id, cancellationToken), rollbackRequested: false);
        }, cancellationToken));
        return command;
    }

    private static Command Promote(CliContext cli)
    {
        var (template, rolloutId, watch) = (TemplateArgument(), RolloutArgument(), WatchFlag("Follow the promotion until every agent is updated"));
        var watchOptions = new WatchOptions();
        var command = new Command("promote", "Take a rollout in its canary phase to every agent of the template") { template, rolloutId, watch };
        watchOptions.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, async platform =>
        {
            var rollout = await platform.GetRolloutAsync(parseResult.GetValue(template)!, parseResult.GetValue(rolloutId), cancellationToken);
            var driver = new RolloutDriver(platform, cli.CreateWatcher(parseResult, watchOptions, platform), cli.Output);
            return await driver.PromoteAsync(rollout, parseResult.GetValue(watch), cancellationToken);
        }, cancellationToken));
        return command;
    }

    private static Command Rollback(CliContext cli)
    {
        var (template, rolloutId, watch) = (TemplateArgument(), RolloutArgument(), WatchFlag("Follow the rollback until every agent is back"));
        var watchOptions = new WatchOptions();
        var command = new Command("rollback", "Return the agents a rollout reached to their previous version, and the template to its previous active version")
        {
            template, rolloutId, watch,
        };
        watchOptions.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, async platform =>
        {
            var rollout = await platform.GetRolloutAsync(parseResult.GetValue(template)!, parseResult.GetValue(rolloutId), cancellationToken);
            var driver = new RolloutDriver(platform, cli.CreateWatcher(parseResult, watchOptions, platform), cli.Output);
            return await driver.RollBackAsync(rollout, parseResult.GetValue(watch), cancellationToken);
        }, cancellationToken));
        return command;
    }

    private static Argument<string> TemplateArgument() => new("template") { Description = "The template's id (code-assistant, task-manager, …)" };

    private static Argument<Guid> RolloutArgument() => new("rollout-id") { Description = "The rollout's id, as start or apply printed it" };

    private static Option<bool> WatchFlag(string description) => new("--watch") { Description = description };
}
