using System.Text;
using System.Text.RegularExpressions;

namespace LettaPlatform.Deployment.Tests;

/// <summary>
/// The Prometheus series names of every instrument the platform's code creates (services/, ServiceDefaults/), by
/// OpenTelemetry's translation to Prometheus: dots and dashes become underscores, the unit is appended as a word
/// (<c>s</c> → <c>_seconds</c>, <c>ms</c> → <c>_milliseconds</c>, <c>By</c> → <c>_bytes</c>; annotations such as
/// <c>{turn}</c> add nothing), counters end in <c>_total</c> and histograms are read as <c>_bucket</c>, <c>_sum</c> and
/// <c>_count</c>. The same translation gives the names the alert rules use (<see cref="AlertRulesTests"/>).
/// </summary>
public static partial class EmittedMetrics
{
    private static readonly Dictionary<string, string> UnitWords = new(StringComparer.Ordinal)
    {
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["By"] = "bytes",
    };

    public static IReadOnlySet<string> SeriesNames { get; } = Collect();

    /// <summary>The instruments created in one C# source, as (kind, name, unit).</summary>
    public static IEnumerable<(string Kind, string Name, string? Unit)> Instruments(string source)
    {
        foreach (Match match in CreateCall().Matches(source))
        {
            var arguments = Arguments(source, match.Index + match.Length);
            if (arguments.Count == 0 || Literal(arguments[0]) is not { } name)
            {
                continue;
            }

            var kind = match.Groups["kind"].Value;
            // Observable instruments take their callback second, so their unit comes third.
            var unitPosition = kind.StartsWith("Observable", StringComparison.Ordinal) ? 2 : 1;
            var unit = arguments.Select(a => a.TrimStart()).FirstOrDefault(a => a.StartsWith("unit:", StringComparison.Ordinal)) is { } named
                ? Literal(named["unit:".Length..])
                : arguments.Count > unitPosition && !arguments[unitPosition].Contains(':', StringComparison.Ordinal) ? Literal(arguments[unitPosition]) : null;
            yield return (kind, name, unit);
        }
    }

    /// <summary>The series an instrument is exported as.</summary>
    public static IEnumerable<string> Series(string kind, string name, string? unit)
    {
        var baseName = Regex.Replace(name, "[^a-zA-Z0-9_]", "_");
        if (unit is not null && UnitWords.TryGetValue(unit, out var word) && !baseName.EndsWith($"_{word}", StringComparison.Ordinal))
        {
            baseName += $"_{word}";
        }

        return kind switch
        {
            "Counter" or "ObservableCounter" => [$"{baseName}_total"],
            "Histogram" => [$"{baseName}_bucket", $"{baseName}_sum", $"{baseName}_count"],
            _ => [baseName],
        };
    }

    private static HashSet<string> Collect()
    {
        var sources = new[] { "services", "ServiceDefaults" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        return sources.SelectMany(path => Instruments(File.ReadAllText(path))).SelectMany(i => Series(i.Kind, i.Name, i.Unit)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The call's arguments as source text, split at its top-level commas (not those in strings or nested calls).</summary>
    private static List<string> Arguments(string source, int start)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        for (var i = start; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '"')
            {
                var end = i + 1;
                while (end < source.Length && source[end] != '"')
                {
                    end += source[end] == '\\' ? 2 : 1;
                }

                current.Append(source, i, end - i + 1);
                i = end;
                continue;
            }

            if (c is '(' or '[' or '{' or '<')
            {
                depth++;
            }
            else if (c is ']' or '}' or '>' && depth > 0)
            {
                depth--;
            }
            else if (c == ')')
            {
                if (depth == 0)
                {
                    arguments.Add(current.ToString());
                    return arguments;
                }

                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                arguments.Add(current.ToString());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        return [];
    }

    private static string? Literal(string argument)
    {
        var text = argument.Trim();
        return text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1] : null;
    }

    [GeneratedRegex(@"\.Create(?<kind>Counter|Histogram|UpDownCounter|Gauge|ObservableGauge|ObservableCounter|ObservableUpDownCounter)(?:<[^>(]+>)?\(")]
    private static partial Regex CreateCall();
}
