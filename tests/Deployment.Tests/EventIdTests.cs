using System.Text.RegularExpressions;

namespace LettaPlatform.Deployment.Tests;

/// <summary>The stable log event ids of docs/operations.md are the ones the code logs with, each used once.</summary>
public sealed partial class EventIdTests
{
    [Fact]
    public void EventIdTable_MatchesTheLoggerMessagesOfTheCode()
    {
        var documented = DocumentedRow().Matches(File.ReadAllText(Path.Combine(Repository.Root, "docs", "operations.md")))
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var used = new[] { "services", "ServiceDefaults" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => EventIdInCode().Matches(File.ReadAllText(path)).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

        Assert.True(documented.Count >= 20, $"only {documented.Count} documented event ids");
        Assert.Equal(used.Count, used.Distinct().Count());
        Assert.Equal(documented.Order(), used.Order());
    }

    [GeneratedRegex(@"^\| (\d{4}) \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedRow();

    [GeneratedRegex(@"EventId = (\d+)")]
    private static partial Regex EventIdInCode();
}
