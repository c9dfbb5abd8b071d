using System.Text.RegularExpressions;

namespace LettaPlatform.Deployment.Tests;

/// <summary>The stable log event ids of docs/operations.md, and their levels, are the ones the code logs with, each id used once.</summary>
public sealed partial class EventIdTests
{
    [Fact]
    public void EventIdTable_MatchesTheLoggerMessagesOfTheCode()
    {
        var documented = DocumentedRow().Matches(File.ReadAllText(Path.Combine(Repository.Root, "docs", "operations.md")))
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToList();
        var used = new[] { "services", "ServiceDefaults" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => EventIdInCode().Matches(File.ReadAllText(path)).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}"))
            .ToList();

        Assert.True(documented.Count >= 20, $"only {documented.Count} documented event ids");
        Assert.Equal(used.Count, used.Select(entry => entry.Split(' ')[0]).Distinct().Count());
        // Compared with their levels: an operator's alert on a Warning id stops firing if the code logs it lower.
        Assert.Equal(documented.Order(), used.Order());
    }

    [GeneratedRegex(@"^\| (\d{4}) \| [^|]+ \| (\w+) \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedRow();

    // An id logged without a named level reads as "N " and matches no row, so it cannot slip past.
    [GeneratedRegex(@"EventId = (\d+)(?:,\s*Level = LogLevel\.(\w+))?")]
    private static partial Regex EventIdInCode();
}
