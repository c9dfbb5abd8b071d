using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LettaPlatform.Deployment.Tests;

/// <summary>One link of a Markdown file: where it is and what it points at, as written.</summary>
public sealed record MarkdownLink(string File, int Line, string Target);

/// <summary>
/// Finds the links of Markdown files and checks that each relative one resolves inside a clone: its file
/// or folder exists there, and its <c>#anchor</c> names a heading (GitHub's slug of it) when the target is
/// a Markdown file. Links with a scheme (<c>https:</c>, <c>mailto:</c>) are not followed; text in code
/// (fenced blocks and code spans) is not Markdown and holds no links.
/// </summary>
public static partial class MarkdownLinks
{
    /// <summary>
    /// One sentence per link that does not resolve, naming file and line. <paramref name="files"/> are the
    /// clone's files, relative to <paramref name="root"/> with '/'; the Markdown files among them are checked.
    /// </summary>
    public static IReadOnlyList<string> Check(string root, IReadOnlySet<string> files)
    {
        var anchors = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        IReadOnlySet<string> AnchorsOf(string path) =>
            anchors.TryGetValue(path, out var known) ? known : anchors[path] = Anchors(File.ReadAllText(Path.Combine(root, path)));

        var problems = new List<string>();
        foreach (var file in files.Where(IsMarkdown).Order(StringComparer.Ordinal))
        {
            foreach (var link in Find(file, File.ReadAllText(Path.Combine(root, file))))
            {
                if (Resolve(link, files, AnchorsOf) is { } problem)
                {
                    problems.Add($"{link.File}:{link.Line}: ({link.Target}) {problem}");
                }
            }
        }

        return problems;
    }

    /// <summary>The links of <paramref name="markdown"/>: inline links and images, reference definitions and HTML href/src.</summary>
    public static IEnumerable<MarkdownLink> Find(string file, string markdown)
    {
        foreach (var (number, line) in Prose(markdown))
        {
            if (line is null)
            {
                continue;
            }

            var text = CodeSpan().Replace(line, " ");
            foreach (Match match in InlineLink().Matches(text))
            {
                yield return new MarkdownLink(file, number, Unwrap(match.Groups["dest"].Value));
            }

            if (ReferenceDefinition().Match(text) is { Success: true } definition)
            {
                yield return new MarkdownLink(file, number, Unwrap(definition.Groups["dest"].Value));
            }

            foreach (Match match in HtmlLink().Matches(text))
            {
                yield return new MarkdownLink(file, number, match.Groups["dest"].Value);
            }
        }
    }

    /// <summary>The anchors a Markdown file offers: the GitHub slug of each heading (repeats numbered) and HTML ids.</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        string? previous = null;
        foreach (var (_, line) in Prose(markdown, fenceLines: true))
        {
            string? heading = null;
            if (line is null)
            {
                previous = null;
                continue;
            }

            if (AtxHeading().Match(line) is { Success: true } atx)
            {
                heading = atx.Groups["text"].Value;
            }
            else if (previous is not null && SetextUnderline().IsMatch(line))
            {
                heading = previous;
            }

            if (heading is not null)
            {
                // github-slugger: a repeated slug gets -1, -2, … in the order the headings appear.
                var slug = Slug(heading);
                var original = slug;
                while (occurrences.ContainsKey(slug))
                {
                    slug = $"{original}-{++occurrences[original]}";
                }

                occurrences[slug] = 0;
                anchors.Add(slug);
                previous = null;
                continue;
            }

            foreach (Match id in HtmlId().Matches(line))
            {
                anchors.Add(id.Groups["id"].Value);
            }

            previous = string.IsNullOrWhiteSpace(line) || ListOrQuote().IsMatch(line) ? null : line.Trim();
        }

        return anchors;
    }

    /// <summary>
    /// GitHub's anchor for a heading (github-slugger): the text as rendered, lower-cased; letters, digits,
    /// marks, '-' and '_' kept, each space a '-', everything else dropped.
    /// </summary>
    public static string Slug(string heading)
    {
        var text = HtmlTag().Replace(InlineLink().Replace(heading, match => match.Groups["text"].Value), "");
        var rendered = new StringBuilder();
        var parts = text.Split('`');
        for (var i = 0; i < parts.Length; i++)
        {
            // Outside code, underscores at a word's edge are emphasis, not text.
            rendered.Append(i % 2 == 1 ? parts[i] : EmphasisUnderscore().Replace(parts[i], ""));
        }

        var slug = new StringBuilder(rendered.Length);
        foreach (var c in rendered.ToString().Trim().ToLowerInvariant())
        {
            if (c == ' ')
            {
                slug.Append('-');
            }
            else if (char.IsLetterOrDigit(c) || c is '-' or '_'
                || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                slug.Append(c);
            }
        }

        return slug.ToString();
    }

    private static string? Resolve(MarkdownLink link, IReadOnlySet<string> files, Func<string, IReadOnlySet<string>> anchorsOf)
    {
        var target = link.Target.Trim();
        if (target.Length == 0)
        {
            return "is empty";
        }

        if (Scheme().IsMatch(target) || target.StartsWith("//", StringComparison.Ordinal))
        {
            return null;
        }

        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash < 0 ? null : Uri.UnescapeDataString(target[(hash + 1)..]);
        var path = hash < 0 ? target : target[..hash];
        if (path.IndexOf('?', StringComparison.Ordinal) is var query and >= 0)
        {
            path = path[..query];
        }

        string resolved;
        if (path.Length == 0)
        {
            resolved = link.File;
        }
        else
        {
            path = Uri.UnescapeDataString(path);
            var from = path.StartsWith('/') ? "" : Path.GetDirectoryName(link.File)!.Replace('\\', '/');
            if (Normalize(from, path.TrimStart('/')) is not { } normalized)
            {
                return "leaves the repository";
            }

            resolved = normalized;
        }

        var isFile = files.Contains(resolved);
        var isFolder = !isFile && (resolved.Length == 0 || files.Any(f => f.StartsWith(resolved + "/", StringComparison.Ordinal)));
        if (!isFile && !isFolder)
        {
            return "names no file or folder of the repository";
        }

        if (string.IsNullOrEmpty(fragment) || !isFile || !IsMarkdown(resolved))
        {
            return null;
        }

        var anchors = anchorsOf(resolved);
        return anchors.Contains(fragment) || anchors.Contains(fragment.ToLowerInvariant())
            ? null
            : $"names no heading of {resolved} (anchors there are GitHub's slugs: lower case, spaces as '-', punctuation dropped)";
    }

    /// <summary>Joins a relative path onto a folder of the repository; null when it climbs out of the root.</summary>
    private static string? Normalize(string folder, string path)
    {
        var segments = new List<string>(folder.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (segment)
            {
                case ".":
                    break;
                case "..":
                    if (segments.Count == 0)
                    {
                        return null;
                    }

                    segments.RemoveAt(segments.Count - 1);
                    break;
                default:
                    segments.Add(segment);
                    break;
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>
    /// The lines outside fenced code blocks, numbered from 1. With <paramref name="fenceLines"/>, each
    /// block is reported as one null line, so a heading's underline cannot reach across it.
    /// </summary>
    private static IEnumerable<(int Number, string? Line)> Prose(string markdown, bool fenceLines = false)
    {
        string? fence = null;
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var opening = Fence().Match(line);
            if (fence is null && opening.Success)
            {
                fence = opening.Groups["fence"].Value;
                if (fenceLines)
                {
                    yield return (i + 1, null);
                }

                continue;
            }

            if (fence is not null)
            {
                // A fence closes with the same character, at least as many times, and nothing after it.
                if (opening.Success && opening.Groups["fence"].Value[0] == fence[0]
                    && opening.Groups["fence"].Value.Length >= fence.Length && opening.Groups["info"].Value.Trim().Length == 0)
                {
                    fence = null;
                }

                continue;
            }

            yield return (i + 1, line);
        }
    }

    private static bool IsMarkdown(string path) => path.EndsWith(".md", StringComparison.OrdinalIgnoreCase);

    private static string Unwrap(string destination) =>
        destination.StartsWith('<') && destination.EndsWith('>') ? destination[1..^1] : destination;

    [GeneratedRegex(@"^[ \t]*(?<fence>`{3,}|~{3,})(?<info>.*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")]
    private static partial Regex CodeSpan();

    // [text](destination "title"): text may hold one level of brackets, destination one level of parentheses.
    [GeneratedRegex("""!?\[(?<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*(?<dest><[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))+)(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)""")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^ {0,3}\[(?<label>[^\]]+)\]:\s*(?<dest><[^<>]*>|\S+)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex("""<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*"(?<dest>[^"]*)"[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlLink();

    [GeneratedRegex("""<[a-z][a-z0-9]*\b[^>]*?\b(?:id|name)\s*=\s*"(?<id>[^"]+)"[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlId();

    [GeneratedRegex(@"^ {0,3}#{1,6}(?:[ \t]+(?<text>.*?))?(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex AtxHeading();

    [GeneratedRegex(@"^ {0,3}(?:=+|-+)[ \t]*$")]
    private static partial Regex SetextUnderline();

    [GeneratedRegex(@"^ {0,3}(?:[-+*>]|\d+[.)])(?:[ \t]|$)")]
    private static partial Regex ListOrQuote();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])")]
    private static partial Regex EmphasisUnderscore();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex Scheme();
}
