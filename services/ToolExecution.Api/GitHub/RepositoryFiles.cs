using System.Text.Json.Nodes;
using LettaPlatform.ToolExecution.Api.Guard;
using Octokit;

namespace LettaPlatform.ToolExecution.Api.GitHub;

/// <summary>Reading files and folders with "Get repository content", shared by the code and documentation tools.</summary>
public static class RepositoryFiles
{
    /// <summary><c>GET /repos/{owner}/{repo}/contents/{path}</c> (<c>?ref=</c> when given): one item for a file, the entries of a folder.</summary>
    public static Task<IReadOnlyList<RepositoryContent>> GetContentsAsync(IGitHubClient github, string owner, string name, string path, string? reference) =>
        (path.Length, reference) switch
        {
            (0, null) => github.Repository.Content.GetAllContents(owner, name),
            (0, _) => github.Repository.Content.GetAllContentsByRef(owner, name, reference),
            (_, null) => github.Repository.Content.GetAllContents(owner, name, path),
            _ => github.Repository.Content.GetAllContentsByRef(owner, name, path, reference),
        };

    /// <summary>The current text of a file, or null when there is no such file (a new one).</summary>
    public static async Task<string?> GetTextOrNullAsync(IGitHubClient github, string owner, string name, string path, string reference)
    {
        try
        {
            var contents = await github.Repository.Content.GetAllContentsByRef(owner, name, path, reference);
            return contents.Count == 1 && contents[0].Path == path && contents[0].Type.StringValue == "file" ? contents[0].Content ?? "" : null;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    /// <summary>A folder's entries, folders first, for the agent.</summary>
    public static JsonArray Entries(IEnumerable<RepositoryContent> contents) =>
        [.. contents
            .OrderBy(c => c.Type.StringValue == "dir" ? 0 : 1).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["path"] = c.Path,
                ["type"] = c.Type.StringValue,
                ["size"] = c.Type.StringValue == "dir" ? null : c.Size,
            })];

    /// <summary>
    /// A file for the agent: its text as untrusted content, with size, sha and line count. Refuses
    /// (<c>file_too_large</c>) a file longer than <paramref name="maxChars"/>, and gives no text for a binary one.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, JsonNode?>> FileData(RepositoryContent file, int maxChars)
    {
        var type = file.Type.StringValue;
        yield return new("type", type);
        yield return new("size", file.Size);
        yield return new("sha", file.Sha);
        if (type == "symlink" || type == "submodule")
        {
            yield return new("target", file.Target ?? file.SubmoduleGitUrl);
            yield break;
        }

        // GitHub sends no content for files over 1 MB (encoding "none").
        if (string.IsNullOrEmpty(file.EncodedContent) && file.Size > 0)
        {
            throw TooLarge(file.Path, file.Size, maxChars, "bytes");
        }

        var text = file.Content ?? "";
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            yield return new("binary", true);
            yield return new("note", "This is a binary file; its content is not shown.");
            yield break;
        }

        if (text.Length > maxChars)
        {
            throw TooLarge(file.Path, text.Length, maxChars, "characters");
        }

        yield return new("lines", text.Length == 0 ? 0 : text.Count(c => c == '\n') + (text.EndsWith('\n') ? 0 : 1));
        yield return new("content", ToolResults.Untrusted(text));
    }

    public static ToolFailureException TooLarge(string path, long size, int maxChars, string unit) => new(
        "file_too_large",
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path} is {size:N0} {unit} long; the tools read files of up to {maxChars:N0} characters, and never part of one ")
        + "(a change based on part of a file would lose the rest). Tell the user, and work from a smaller file or the pull request's diff.");
}
