using System.CommandLine;
using System.CommandLine.Invocation;
using LettaPlatform.Cli.Commands;

namespace LettaPlatform.Cli;

/// <summary>
/// <c>lettactl</c>, the operator CLI: template files against the platform, rollouts, agent moves, all
/// through the gateway's admin API. The entry point takes its writers, so tests run it in-process.
/// </summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var cli = new CliContext(output, error);
        var root = new RootCommand("lettactl: operate LettaPlatform through its admin API (agent templates as code, rollouts, agent moves)")
        {
            TemplatesCommands.Create(cli),
            RolloutCommands.Create(cli),
            AgentsCommands.Create(cli),
        };
        root.Options.Add(cli.Url);
        root.Options.Add(cli.Token);

        var parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}");
            }

            await error.WriteLineAsync("See lettactl --help.");
            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
