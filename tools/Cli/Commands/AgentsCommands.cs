using System.CommandLine;
using LettaPlatform.Cli.Platform;

namespace LettaPlatform.Cli.Commands;

/// <summary><c>lettactl agents move &lt;agent-id&gt;… --to &lt;instance&gt;</c>: agents between Letta instances.</summary>
public static class AgentsCommands
{
    public static Command Create(CliContext cli)
    {
        var agents = new Command("agents", "Agents across Letta instances");
        agents.Subcommands.Add(Move(cli));
        return agents;
    }

    private static Command Move(CliContext cli)
    {
        var agentIds = new Argument<Guid[]>("agent-id") { Description = "The agents to move (the platform's agent ids)", Arity = ArgumentArity.OneOrMore };
        var target = new Option<string>("--to") { Description = "The Letta instance to move them to (its name in Letta:Instances, or letta)", Required = true };
        var command = new Command("move", "Re-create agents, with their memory and history, on another Letta instance; one at a time, each all or nothing")
        {
            agentIds, target,
        };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, async platform =>
        {
            var ids = parseResult.GetValue(agentIds)!;
            var to = parseResult.GetValue(target)!;
            var failed = 0;
            foreach (var (id, index) in ids.Select((id, index) => (id, index + 1)))
            {
                await cli.Output.WriteLineAsync($"[{index}/{ids.Length}] moving agent {id} to {to}…");
                try
                {
                    var agent = await platform.MoveAgentAsync(id, to, cancellationToken);
                    await cli.Output.WriteLineAsync($"[{index}/{ids.Length}] agent {agent.Id} is on {agent.LettaInstance}");
                }
                catch (PlatformException ex) when (!ex.IsUnauthorized)
                {
                    // One agent's refusal (unknown, still provisioning, Letta failing) leaves it where it was; the others still go.
                    failed++;
                    await cli.Error.WriteLineAsync($"[{index}/{ids.Length}] agent {id} was not moved: {ex.Message}");
                }
            }

            await cli.Output.WriteLineAsync($"{ids.Length - failed} of {ids.Length} agents moved to {to}.");
            return failed == 0 ? ExitCodes.Success : ExitCodes.RequestFailed;
        }, cancellationToken));
        return command;
    }
}
