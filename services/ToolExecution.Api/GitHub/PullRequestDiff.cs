using System.Text;
using System.Text.RegularExpressions;
using Octokit;

namespace LettaPlatform.ToolExecution.Api.GitHub;

/// <summary>
/// A pull request's diff, made of the <c>patch</c> GitHub gives for each changed file (List pull requests
/// files), and the lines of it a review comment may be put on.
/// </summary>
public static partial class PullRequestDiff
{
    /// <summary>
    /// The files' patches as one unified diff, cut at a line end to at most <paramref name="maxChars"/>.
    /// <paramref name="shownFiles"/> counts the files whose patch is shown whole.
    /// </summary>
    public static string Build(IReadOnlyList<PullRequestFile> files, int maxChars, out bool truncated, out int shownFiles)
    {
        var diff = new StringBuilder();
        truncated = false;
        shownFiles = 0;
        foreach (var file in files)
        {
            var section = Section(file);
            if (diff.Length + section.Length > maxChars)
            {
                var room = maxChars - diff.Length;
                var cut = room > 0 ? section.LastIndexOf('\n', Math.Min(room, section.Length) - 1) : -1;
                if (cut > 0)
                {
                    diff.Append(section, 0, cut + 1);
                }

                truncated = true;
                break;
            }

            diff.Append(section);
            shownFiles++;
        }

        return diff.ToString();
    }

    private static string Section(PullRequestFile file)
    {
        var oldPath = file.PreviousFileName ?? file.FileName;
        var header = new StringBuilder()
            .Append("diff --git a/").Append(oldPath).Append(" b/").Append(file.FileName).Append('\n')
            .Append("--- ").Append(file.Status == "added" ? "/dev/null" : "a/" + oldPath).Append('\n')
            .Append("+++ ").Append(file.Status == "removed" ? "/dev/null" : "b/" + file.FileName).Append('\n');
        if (string.IsNullOrEmpty(file.Patch))
        {
            return header.Append(file.Changes == 0 ? "(no changes to the content)\n" : "(no patch: a binary file, or too large for GitHub to show)\n").ToString();
        }

        return header.Append(file.Patch).Append(file.Patch.EndsWith('\n') ? "" : "\n").ToString();
    }

    /// <summary>
    /// Whether a review comment may go on <paramref name="line"/> of <paramref name="patch"/>: on side
    /// <c>RIGHT</c> a line of the new file (added or kept) inside a hunk, on <c>LEFT</c> a line of the old
    /// file (removed or kept) inside a hunk. GitHub refuses the whole review (422) for any other line.
    /// </summary>
    public static bool Commentable(string? patch, int line, string side) =>
        patch is not null && Lines(patch, side).Contains(line);

    /// <summary>The commentable lines of one side, as ranges for a message ("10–14, 30–41").</summary>
    public static string DescribeCommentable(string? patch, string side)
    {
        if (patch is null)
        {
            return "none (GitHub shows no patch for this file)";
        }

        var lines = Lines(patch, side).Order().ToList();
        var ranges = new List<string>();
        for (var i = 0; i < lines.Count;)
        {
            var start = i;
            while (i + 1 < lines.Count && lines[i + 1] == lines[i] + 1)
            {
                i++;
            }

            ranges.Add(start == i ? $"{lines[start]}" : $"{lines[start]}–{lines[i]}");
            i++;
        }

        return ranges.Count == 0 ? "none" : string.Join(", ", ranges);
    }

    private static HashSet<int> Lines(string patch, string side)
    {
        var lines = new HashSet<int>();
        int oldLine = 0, newLine = 0;
        foreach (var text in patch.Split('\n'))
        {
            if (HunkHeader().Match(text) is { Success: true } header)
            {
                oldLine = int.Parse(header.Groups["old"].Value, System.Globalization.CultureInfo.InvariantCulture);
                newLine = int.Parse(header.Groups["new"].Value, System.Globalization.CultureInfo.InvariantCulture);
                continue;
            }

            if (text.Length == 0 || text.StartsWith('\\') || (oldLine == 0 && newLine == 0))
            {
                continue;
            }

            switch (text.Length == 0 ? ' ' : text[0])
            {
                case '+':
                    if (side == "RIGHT")
                    {
                        lines.Add(newLine);
                    }

                    newLine++;
                    break;
                case '-':
                    if (side == "LEFT")
                    {
                        lines.Add(oldLine);
                    }

                    oldLine++;
                    break;
                default:
                    lines.Add(side == "LEFT" ? oldLine : newLine);
                    oldLine++;
                    newLine++;
                    break;
            }
        }

        return lines;
    }

    [GeneratedRegex(@"^@@ -(?<old>\d+)(,\d+)? \+(?<new>\d+)(,\d+)? @@")]
    private static partial Regex HunkHeader();
}
