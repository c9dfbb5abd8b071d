using System.Text;

namespace LettaPlatform.Hosting;

public sealed record CommandResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs a short-lived command to completion, with a timeout after which it is killed.</summary>
public static class CommandRunner
{
    public static async Task<CommandResult> RunAsync(ProcessSpec spec, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var output = new StringBuilder();
        await using var child = await ChildProcess.StartAsync(spec, line =>
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }).ConfigureAwait(false);

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            var exitCode = await child.Exited.WaitAsync(timeoutSource.Token).ConfigureAwait(false);
            lock (output)
            {
                return new CommandResult(exitCode, output.ToString());
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await child.StopAsync(9, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            throw new TimeoutException($"{spec.FileName} {string.Join(' ', spec.Arguments)} did not finish within {timeout.TotalSeconds:0} s.");
        }
    }

    public static async Task<CommandResult> RunCheckedAsync(ProcessSpec spec, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(spec, timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"{spec.FileName} {string.Join(' ', spec.Arguments)} failed with exit code {result.ExitCode}:{Environment.NewLine}{result.Output}");
        }

        return result;
    }
}
