using LettaPlatform.Cli;

namespace LettaPlatform.Cli.Tests;

/// <summary>What one run of the CLI did.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}--- stdout{Environment.NewLine}{Output}--- stderr{Environment.NewLine}{Error}";
}

/// <summary>Runs <c>lettactl</c> in-process through its real entry point, capturing what it prints.</summary>
public static class Lettactl
{
    /// <summary>The repository's deploy/templates, copied beside the test binary.</summary>
    public static string RepositoryTemplates { get; } = Path.Combine(AppContext.BaseDirectory, "templates");

    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        var run = new CliRun(exitCode, output.ToString(), error.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine($"$ lettactl {string.Join(' ', args.Select(arg => arg.StartsWith("eyJ", StringComparison.Ordinal) ? "<token>" : arg))}{Environment.NewLine}{run}");
        return run;
    }
}
