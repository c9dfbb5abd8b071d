using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ToolExecution.Api.Catalog;
using LettaPlatform.ToolExecution.Api.GitHub;
using LettaPlatform.ToolExecution.Api.Guard;
using Microsoft.Extensions.Options;
using Octokit;

namespace LettaPlatform.ToolExecution.Api.Tools;

/// <summary>The repository's README (Get a repository README) and the listing of its docs/ folder (Get repository content).</summary>
public sealed class ReadRepositoryDocsTool(GitHubCredentials credentials, GitHubClientFactory clients, IOptions<GitHubOptions> options)
    : GitHubTool(credentials, clients)
{
    public override string Name => ToolDefinitions.ReadRepositoryDocs;

    protected override async Task<JsonNode> ExecuteAsync(IGitHubClient github, string owner, string name, JsonObject arguments)
    {
        var reference = arguments.Text("ref");
        var result = new JsonObject { ["repository"] = $"{owner}/{name}", ["ref"] = reference ?? "(default branch)" };
        try
        {
            var readme = await GitHubRest.GetReadme(github, owner, name, reference);
            var data = new JsonObject { ["path"] = readme.Path };
            try
            {
                foreach (var (key, value) in RepositoryFiles.FileData(readme, options.Value.MaxFileChars))
                {
                    data[key] = value;
                }
            }
            catch (ToolFailureException tooLarge)
            {
                data["size"] = readme.Size;
                data["note"] = tooLarge.Message;
            }

            result["readme"] = data;
        }
        catch (NotFoundException)
        {
            result["readme"] = null;
            result["readme_note"] = "The repository has no README.";
        }

        try
        {
            result["docs"] = RepositoryFiles.Entries(await RepositoryFiles.GetContentsAsync(github, owner, name, "docs", reference));
            result["docs_note"] = "Read a file with read_repository_contents (path docs/…).";
        }
        catch (NotFoundException)
        {
            result["docs"] = new JsonArray();
            result["docs_note"] = "The repository has no docs/ folder.";
        }

        return result;
    }
}

/// <summary>
/// Proposes a documentation change as a pull request: one commit with the new or changed files (Git
/// database API: tree, commit, branch reference) and a pull request from that branch. It needs the
/// person's approval, and shows them the diff first (<see cref="IToolPreview"/>). Only documentation
/// files may be written (<see cref="DocumentationPaths"/>), up to <c>GitHub:MaxProposedChangeChars</c>.
/// </summary>
public sealed class ProposeDocumentationChangeTool(GitHubCredentials credentials, GitHubClientFactory clients, IOptions<GitHubOptions> options)
    : GitHubTool(credentials, clients), IToolPreview
{
    public override string Name => ToolDefinitions.ProposeDocumentationChange;

    protected override ToolDenial? CheckArguments(JsonObject arguments)
    {
        var files = Files(arguments);
        if (files.Select(f => f.Path).Distinct(StringComparer.Ordinal).Count() != files.Count)
        {
            return new ToolDenial("invalid_arguments", "`files` names the same path twice; give each file once, with its whole new content.");
        }

        if (files.Where(f => !DocumentationPaths.IsDocumentation(f.Path)).Select(f => f.Path).ToList() is { Count: > 0 } others)
        {
            return new ToolDenial("not_documentation",
                $"{string.Join(", ", others)} {(others.Count == 1 ? "is" : "are")} not documentation. {DocumentationPaths.Rule} "
                + "Propose only documentation files; a code change is for the developer (or the code assistant) to make.");
        }

        var size = files.Sum(f => (long)f.Content.Length);
        return size > options.Value.MaxProposedChangeChars
            ? new ToolDenial("change_too_large",
                string.Create(CultureInfo.InvariantCulture, $"The proposed files hold {size:N0} characters; one proposal may hold at most {options.Value.MaxProposedChangeChars:N0}. ")
                + "Split the change into smaller proposals (fewer or shorter files).")
            : null;
    }

    protected override string? NotFoundMessage(JsonObject arguments) =>
        $"GitHub has no repository {arguments.Text("repository")}, or the user's token cannot see it, or cannot write to it.";

    public async Task<ToolPreview> PreviewAsync(JsonObject arguments, CancellationToken cancellationToken) =>
        await CallGitHubAsync(arguments, async (github, owner, name) =>
        {
            var baseBranch = arguments.Text("base") ?? (await github.Repository.Get(owner, name)).DefaultBranch;
            var diff = new StringBuilder();
            var (added, changed, unchanged) = (0, 0, 0);
            foreach (var file in Files(arguments))
            {
                var current = await RepositoryFiles.GetTextOrNullAsync(github, owner, name, file.Path, baseBranch);
                var fileDiff = UnifiedDiff.Create(file.Path, current, file.Content);
                (added, changed, unchanged) = current is null ? (added + 1, changed, unchanged)
                    : fileDiff.Length == 0 ? (added, changed, unchanged + 1) : (added, changed + 1, unchanged);
                diff.Append(fileDiff);
            }

            var max = options.Value.MaxPreviewDiffChars;
            var truncated = diff.Length > max;
            var text = truncated ? diff.ToString(0, Math.Max(0, diff.ToString(0, max).LastIndexOf('\n') + 1)) : diff.ToString();
            var note = $"Against {baseBranch} of {owner}/{name}: {Count(added, "new file")}, {Count(changed, "changed file")}"
                + (unchanged > 0 ? $", {Count(unchanged, "file")} without changes" : "") + "."
                + (truncated ? string.Create(CultureInfo.InvariantCulture, $" The diff is cut at {max:N0} of {diff.Length:N0} characters.") : "");
            return new ToolPreview(ToolPreviewKinds.Diff, text, truncated, note);
        }, cancellationToken);

    protected override async Task<JsonNode> ExecuteAsync(IGitHubClient github, string owner, string name, JsonObject arguments)
    {
        var title = arguments.Text("title")!;
        var files = Files(arguments);
        var baseBranch = arguments.Text("base") ?? (await github.Repository.Get(owner, name)).DefaultBranch;
        string parent;
        try
        {
            parent = await GitHubRest.GetBranchHead(github, owner, name, baseBranch);
        }
        catch (NotFoundException)
        {
            throw new ToolFailureException("github_not_found", $"{owner}/{name} has no branch {baseBranch}. Give an existing base branch, or leave base out for the default branch.");
        }

        var parentCommit = await github.Git.Commit.Get(owner, name, parent);
        var tree = new NewTree { BaseTree = parentCommit.Tree.Sha };
        foreach (var file in files)
        {
            tree.Tree.Add(new NewTreeItem { Path = file.Path, Mode = "100644", Type = TreeType.Blob, Content = file.Content });
        }

        var newTree = await github.Git.Tree.Create(owner, name, tree);
        var commit = await github.Git.Commit.Create(owner, name, new NewCommit(arguments.Text("commit_message") ?? title, newTree.Sha, parent));
        var branch = arguments.Text("branch") ?? $"docs/{DocumentationPaths.Slug(title)}-{commit.Sha[..7]}";
        try
        {
            await github.Git.Reference.Create(owner, name, new NewReference($"refs/heads/{branch}", commit.Sha));
        }
        catch (ApiValidationException exists)
        {
            throw new ToolFailureException("github_validation_failed",
                $"The branch {branch} could not be created ({GitHubErrors.ToToolFailure(exists, $"{owner}/{name}").Message}). Leave branch out for a new name, or give another.");
        }

        PullRequest pullRequest;
        try
        {
            pullRequest = await github.PullRequest.Create(owner, name, new NewPullRequest(title, branch, baseBranch) { Body = arguments.Text("body") });
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException)
        {
            var failure = GitHubErrors.ToToolFailure(ex, $"{owner}/{name}");
            throw new ToolFailureException(failure.Code,
                $"The branch {branch} was created with the commit {commit.Sha[..7]}, but the pull request could not be opened: {failure.Message} "
                + "Tell the user; the branch is there to open the pull request from by hand.");
        }

        return new JsonObject
        {
            ["repository"] = $"{owner}/{name}",
            ["number"] = pullRequest.Number,
            ["html_url"] = pullRequest.HtmlUrl,
            ["title"] = ToolResults.Untrusted(pullRequest.Title),
            ["branch"] = branch,
            ["base"] = baseBranch,
            ["commit_sha"] = commit.Sha,
            ["files"] = new JsonArray([.. files.Select(f => (JsonNode)f.Path)]),
        };
    }

    private static List<(string Path, string Content)> Files(JsonObject arguments) =>
        [.. (arguments["files"] as JsonArray ?? []).Select(f => (f!["path"]!.GetValue<string>(), f["content"]!.GetValue<string>()))];

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
