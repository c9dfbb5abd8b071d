using System.Text.RegularExpressions;

namespace LettaPlatform.Hosting.Tests;

/// <summary>What `ss` reports as listening TCP sockets, to prove a server binds loopback only.</summary>
internal static partial class Listeners
{
    public static async Task<IReadOnlyList<string>> ForPortAsync(int port)
    {
        var result = await CommandRunner.RunCheckedAsync(new ProcessSpec("ss", ["-Hltn"]), TimeSpan.FromSeconds(10));
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => LocalAddress().Match(line))
            .Where(match => match.Success && match.Groups["port"].Value == port.ToString())
            .Select(match => match.Groups["address"].Value)
            .ToList();
    }

    public static async Task<IReadOnlyList<string>> ForProcessTreeAsync(int pid)
    {
        var result = await CommandRunner.RunCheckedAsync(new ProcessSpec("ss", ["-Hltnp"]), TimeSpan.FromSeconds(10));
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Contains($"pid={pid},", StringComparison.Ordinal))
            .Select(line => LocalAddress().Match(line).Groups["address"].Value)
            .ToList();
    }

    public static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    [GeneratedRegex(@"^\S+\s+\d+\s+\d+\s+(?<address>\S+):(?<port>\d+)\s")]
    private static partial Regex LocalAddress();
}
