using System.Text;

namespace LettaPlatform.ToolExecution.Api.GitHub;

/// <summary>Which files the documentation writer may propose changes to, and branch names for its proposals.</summary>
public static class DocumentationPaths
{
    public const string Rule =
        "Documentation is a file under docs/ or doc/, a README, CHANGELOG or CONTRIBUTING file, or a .md, .mdx, .markdown, .rst, .adoc or .txt file.";

    private static readonly string[] Extensions = [".md", ".mdx", ".markdown", ".rst", ".adoc", ".txt"];
    private static readonly string[] Names = ["README", "CHANGELOG", "CONTRIBUTING"];

    /// <summary>True for a relative path (no leading slash, no . or .. segment) that is documentation by <see cref="Rule"/>.</summary>
    public static bool IsDocumentation(string path)
    {
        var segments = path.Split('/');
        if (path.Length == 0 || path.Contains('\\', StringComparison.Ordinal) || segments.Any(s => s is "" or "." or ".."))
        {
            return false;
        }

        var file = segments[^1];
        return segments.Length > 1 && segments[0] is "docs" or "doc"
            || Names.Any(n => file.StartsWith(n, StringComparison.OrdinalIgnoreCase))
            || Extensions.Any(e => file.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A branch-name part from a title: lower-case letters, digits and dashes, at most 40 characters.</summary>
    public static string Slug(string title)
    {
        var slug = new StringBuilder();
        foreach (var c in title.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= 40)
            {
                break;
            }
        }

        var text = slug.ToString().Trim('-');
        return text.Length == 0 ? "change" : text;
    }
}
