using System.CommandLine;
using LettaPlatform.Cli.Platform;
using LettaPlatform.Cli.Rollouts;
using LettaPlatform.Cli.Templates;

namespace LettaPlatform.Cli.Commands;

/// <summary><c>lettactl templates validate|diff|apply &lt;directory&gt; [--env NAME]</c>: template files against the platform.</summary>
public static class TemplatesCommands
{
    public static Command Create(CliContext cli)
    {
        var templates = new Command("templates", "Agent templates kept as files: base/ plus one folder of overrides per environment");
        templates.Subcommands.Add(Validate(cli));
        templates.Subcommands.Add(Diff(cli));
        templates.Subcommands.Add(Apply(cli));
        return templates;
    }

    private static Command Validate(CliContext cli)
    {
        var (directory, environment) = (DirectoryArgument(), EnvironmentOption());
        var command = new Command("validate", "Check the template files, without contacting the platform") { directory, environment };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(async () =>
        {
            var loaded = TemplateFiles.Load(parseResult.GetValue(directory)!, parseResult.GetValue(environment));
            await cli.Output.WriteLineAsync($"{loaded.Count} templates are valid ({Describe(parseResult.GetValue(environment))}): {string.Join(", ", loaded.Select(t => t.Id))}");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Diff(CliContext cli)
    {
        var (directory, environment) = (DirectoryArgument(), EnvironmentOption());
        var exitCode = new Option<bool>("--exit-code") { Description = "Exit with 7 when there are differences (as git diff --exit-code)" };
        var command = new Command("diff", "Show how the files differ from the templates' active versions on the platform") { directory, environment, exitCode };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, async platform =>
        {
            var plans = await PlanAsync(platform, parseResult.GetValue(directory)!, parseResult.GetValue(environment), cancellationToken);
            foreach (var plan in plans)
            {
                await cli.Output.WriteLineAsync(plan.Summary);
                foreach (var change in plan.Changes)
                {
                    await cli.Output.WriteLineAsync($"  {change.Summary}");
                    foreach (var line in change.Lines)
                    {
                        await cli.Output.WriteLineAsync($"      {line}");
                    }
                }
            }

            return parseResult.GetValue(exitCode) && plans.Any(p => !p.UpToDate) ? ExitCodes.ChangesFound : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Apply(CliContext cli)
    {
        var (directory, environment) = (DirectoryArgument(), EnvironmentOption());
        var canaryPercent = new Option<int?>("--canary-percent", "--rollout-percent")
        {
            Description = "Start a rollout of each new version to this share of the template's agents (0-100); without it, versions are only published",
        };
        canaryPercent.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0 or > 100)
            {
                result.AddError("--canary-percent is between 0 and 100.");
            }
        });
        var watch = new Option<bool>("--watch") { Description = "Follow each rollout's canary phase, with progress, until it is done" };
        var promote = new Option<bool>("--promote-when-healthy")
        {
            Description = "After the canary phase: promote when no canary agent failed, roll back when one did (implies --watch)",
        };
        var watchOptions = new WatchOptions();
        var command = new Command("apply", "Publish the files' changes as new template versions and, with --canary-percent, roll them out")
        {
            directory, environment, canaryPercent, watch, promote,
        };
        watchOptions.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, async platform =>
        {
            var percent = parseResult.GetValue(canaryPercent);
            var promoteWhenHealthy = parseResult.GetValue(promote);
            var following = promoteWhenHealthy || parseResult.GetValue(watch);
            if (following && percent is null)
            {
                throw new UsageException("--watch and --promote-when-healthy follow a rollout: give --canary-percent too.");
            }

            var plans = await PlanAsync(platform, parseResult.GetValue(directory)!, parseResult.GetValue(environment), cancellationToken);
            var pending = plans.Where(p => !p.UpToDate).ToList();
            foreach (var plan in plans.Where(p => p.UpToDate))
            {
                await cli.Output.WriteLineAsync(plan.Summary);
            }

            var driver = new RolloutDriver(platform, cli.CreateWatcher(parseResult, watchOptions, platform), cli.Output);
            foreach (var (plan, index) in pending.Select((plan, index) => (plan, index)))
            {
                var version = plan.LatestVersion;
                if (plan.NeedsPublish)
                {
                    version = (await platform.PublishTemplateVersionAsync(plan.Desired, cancellationToken)).Version;
                    await cli.Output.WriteLineAsync($"{plan.Desired.Id}: published v{version} ({Plural.Count(plan.Changes.Count, "change")} against v{plan.ActiveVersion})");
                }

                if (percent is not { } canary)
                {
                    await cli.Output.WriteLineAsync($"{plan.Desired.Id}: v{version} is published, not active; roll it out with `lettactl rollout start {plan.Desired.Id} {version} --canary-percent 10 --promote-when-healthy`");
                    continue;
                }

                var rollout = await platform.StartRolloutAsync(plan.Desired.Id, version, canary, cancellationToken);
                await cli.Output.WriteLineAsync($"{plan.Desired.Id}: rollout {rollout.Id} of v{version} started: {rollout.Progress.Canary} of {rollout.Progress.Total} agents in the canary ({canary}%)");
                if (!following)
                {
                    continue;
                }

                var result = await driver.FollowAsync(rollout, promoteWhenHealthy, cancellationToken);
                if (result != ExitCodes.Success)
                {
                    var untouched = pending.Skip(index + 1).Select(p => p.Desired.Id).ToList();
                    if (untouched.Count > 0)
                    {
                        await cli.Error.WriteLineAsync($"stopped: {string.Join(", ", untouched)} not applied.");
                    }

                    return result;
                }
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Task<IReadOnlyList<TemplatePlan>> PlanAsync(PlatformClient platform, string directory, string? environment, CancellationToken cancellationToken) =>
        TemplatePlan.CreateAsync(platform, TemplateFiles.Load(directory, environment), cancellationToken);

    private static Argument<string> DirectoryArgument() => new("directory")
    {
        Description = "The templates folder, holding base/ and the environments' folders (deploy/templates)",
    };

    private static Option<string?> EnvironmentOption() => new("--env", "-e")
    {
        Description = "The environment whose folder of overrides applies over base/ (dev, prod); base/ alone without it",
    };

    private static string Describe(string? environment) => environment is null ? "base" : $"base + {environment}";
}
