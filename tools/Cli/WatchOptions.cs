using System.CommandLine;

namespace LettaPlatform.Cli;

/// <summary>The options of every command that watches a rollout.</summary>
public sealed class WatchOptions
{
    public WatchOptions()
    {
        Interval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is <= 0 or > 3600)
            {
                result.AddError("--interval is a number of seconds, more than 0 and at most 3600.");
            }
        });
        Timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--timeout is a number of minutes, at least 1.");
            }
        });
    }

    public Option<double> Interval { get; } = new("--interval")
    {
        Description = "Seconds between two looks at the rollout's progress",
        DefaultValueFactory = _ => 2,
    };

    public Option<int> Timeout { get; } = new("--timeout")
    {
        Description = "Minutes to watch before giving up (exit code 8; the rollout goes on in the platform)",
        DefaultValueFactory = _ => 30,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Interval);
        command.Options.Add(Timeout);
    }
}
