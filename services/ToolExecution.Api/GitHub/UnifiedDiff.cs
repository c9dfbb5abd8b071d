using System.Text;

namespace LettaPlatform.ToolExecution.Api.GitHub;

/// <summary>
/// A unified diff (<c>diff -u</c>, three lines of context) of one file's current and proposed text, as a
/// person reads it before approving a change. Lines common to the start and the end are matched first;
/// the middle is compared line by line (longest common subsequence) when it is small enough, otherwise it
/// is shown as removed and added as a whole, which is still a correct diff, only a longer one.
/// </summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>The largest middle part (old lines × new lines) compared line by line.</summary>
    private const long MaxCells = 4_000_000;

    /// <summary>
    /// The diff of <paramref name="path"/> from <paramref name="current"/> (null: the file is new) to
    /// <paramref name="proposed"/>; empty when they are equal.
    /// </summary>
    public static string Create(string path, string? current, string proposed)
    {
        var oldLines = current is null ? [] : Lines(current);
        var newLines = Lines(proposed);
        var edits = Edits(oldLines, newLines);
        if (edits.All(e => e.Kind == ' '))
        {
            return "";
        }

        var text = new StringBuilder()
            .Append("--- ").Append(current is null ? "/dev/null" : "a/" + path).Append('\n')
            .Append("+++ b/").Append(path).Append('\n');
        foreach (var (start, end) in Hunks(edits))
        {
            AppendHunk(text, edits, start, end);
        }

        return text.ToString();
    }

    private static string[] Lines(string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (normalized.Length == 0)
        {
            return [];
        }

        var lines = normalized.Split('\n');
        return normalized.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>One line of the diff: ' ' kept, '-' removed, '+' added, with its line numbers (1-based) in the old and new text.</summary>
    private readonly record struct Edit(char Kind, string Line, int OldLine, int NewLine);

    private static List<Edit> Edits(string[] oldLines, string[] newLines)
    {
        var prefix = 0;
        while (prefix < oldLines.Length && prefix < newLines.Length && oldLines[prefix] == newLines[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < oldLines.Length - prefix && suffix < newLines.Length - prefix
            && oldLines[^(suffix + 1)] == newLines[^(suffix + 1)])
        {
            suffix++;
        }

        var edits = new List<Edit>(oldLines.Length + newLines.Length);
        for (var i = 0; i < prefix; i++)
        {
            edits.Add(new Edit(' ', oldLines[i], i + 1, i + 1));
        }

        Middle(oldLines.AsSpan(prefix, oldLines.Length - prefix - suffix), newLines.AsSpan(prefix, newLines.Length - prefix - suffix), prefix, edits);
        for (var i = suffix; i > 0; i--)
        {
            edits.Add(new Edit(' ', oldLines[^i], oldLines.Length - i + 1, newLines.Length - i + 1));
        }

        return edits;
    }

    private static void Middle(ReadOnlySpan<string> oldLines, ReadOnlySpan<string> newLines, int offset, List<Edit> edits)
    {
        var (n, m) = (oldLines.Length, newLines.Length);
        if ((long)n * m > MaxCells)
        {
            for (var i = 0; i < n; i++)
            {
                edits.Add(new Edit('-', oldLines[i], offset + i + 1, 0));
            }

            for (var j = 0; j < m; j++)
            {
                edits.Add(new Edit('+', newLines[j], 0, offset + j + 1));
            }

            return;
        }

        // lengths[i, j]: the longest common subsequence of oldLines[i..] and newLines[j..].
        var lengths = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lengths[i, j] = oldLines[i] == newLines[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var (x, y) = (0, 0);
        while (x < n || y < m)
        {
            if (x < n && y < m && oldLines[x] == newLines[y])
            {
                edits.Add(new Edit(' ', oldLines[x], offset + x + 1, offset + y + 1));
                (x, y) = (x + 1, y + 1);
            }
            else if (y < m && (x == n || lengths[x, y + 1] >= lengths[x + 1, y]))
            {
                edits.Add(new Edit('+', newLines[y], 0, offset + y + 1));
                y++;
            }
            else
            {
                edits.Add(new Edit('-', oldLines[x], offset + x + 1, 0));
                x++;
            }
        }

        // Removals read better before the additions that replace them.
        Reorder(edits);
    }

    private static void Reorder(List<Edit> edits)
    {
        var start = 0;
        while (start < edits.Count)
        {
            if (edits[start].Kind == ' ')
            {
                start++;
                continue;
            }

            var end = start;
            while (end < edits.Count && edits[end].Kind != ' ')
            {
                end++;
            }

            var block = edits.GetRange(start, end - start);
            edits.RemoveRange(start, end - start);
            edits.InsertRange(start, block.Where(e => e.Kind == '-').Concat(block.Where(e => e.Kind == '+')));
            start = end;
        }
    }

    /// <summary>Ranges of edits (end exclusive) that form one hunk: changes with three kept lines around them; changes closer than twice that share a hunk.</summary>
    private static List<(int Start, int End)> Hunks(List<Edit> edits)
    {
        var changes = Enumerable.Range(0, edits.Count).Where(i => edits[i].Kind != ' ').ToList();
        var hunks = new List<(int Start, int End)>();
        var first = 0;
        for (var k = 1; k <= changes.Count; k++)
        {
            if (k < changes.Count && changes[k] - changes[k - 1] - 1 <= 2 * Context)
            {
                continue;
            }

            hunks.Add((Math.Max(0, changes[first] - Context), Math.Min(edits.Count, changes[k - 1] + Context + 1)));
            first = k;
        }

        return hunks;
    }

    private static void AppendHunk(StringBuilder text, List<Edit> edits, int start, int end)
    {
        var range = edits.GetRange(start, end - start);
        var oldCount = range.Count(e => e.Kind != '+');
        var newCount = range.Count(e => e.Kind != '-');
        var oldStart = oldCount == 0 ? FirstBefore(edits, start, e => e.OldLine) : range.First(e => e.Kind != '+').OldLine;
        var newStart = newCount == 0 ? FirstBefore(edits, start, e => e.NewLine) : range.First(e => e.Kind != '-').NewLine;
        text.Append("@@ -").Append(Span(oldStart, oldCount)).Append(" +").Append(Span(newStart, newCount)).Append(" @@\n");
        foreach (var edit in range)
        {
            text.Append(edit.Kind).Append(edit.Line).Append('\n');
        }
    }

    // An empty side of a hunk names the line before it (0 at the start of the file), as diff -u does.
    private static int FirstBefore(List<Edit> edits, int index, Func<Edit, int> line)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            if (line(edits[i]) > 0)
            {
                return line(edits[i]);
            }
        }

        return 0;
    }

    private static string Span(int start, int count) => count == 1 ? $"{start}" : $"{start},{count}";
}
