using System.Text.Json.Nodes;
using LettaPlatform.ToolExecution.Api.Catalog;
using LettaPlatform.ToolExecution.Api.GitHub;
using LettaPlatform.ToolExecution.Api.Guard;
using Microsoft.Extensions.Options;
using Octokit;

namespace LettaPlatform.ToolExecution.Api.Tools;

/// <summary>A file's text or a directory's entries at a ref (Get repository content). A file over <c>GitHub:MaxFileChars</c> is refused, never cut.</summary>
public sealed class ReadRepositoryContentsTool(GitHubCredentials credentials, GitHubClientFactory clients, IOptions<GitHubOptions> options)
    : GitHubTool(credentials, clients)
{
    public override string Name => ToolDefinitions.ReadRepositoryContents;

    protected override string? NotFoundMessage(JsonObject arguments) =>
        $"GitHub has no '{arguments.Text("path") ?? ""}' in {arguments.Text("repository")} at {arguments.Text("ref") ?? "the default branch"}, "
        + "or the user's token cannot see it. List the folder above it (path \"\" is the root) to find the right path.";

    protected override async Task<JsonNode> ExecuteAsync(IGitHubClient github, string owner, string name, JsonObject arguments)
    {
        var path = (arguments.Text("path") ?? "").Trim('/');
        var reference = arguments.Text("ref");
        var contents = await RepositoryFiles.GetContentsAsync(github, owner, name, path, reference);
        var result = new JsonObject { ["repository"] = $"{owner}/{name}", ["path"] = path, ["ref"] = reference ?? "(default branch)" };
        if (contents.Count == 1 && contents[0].Path == path && contents[0].Type.StringValue != "dir" && path.Length > 0)
        {
            foreach (var (key, value) in RepositoryFiles.FileData(contents[0], options.Value.MaxFileChars))
            {
                result[key] = value;
            }

            return result;
        }

        result["type"] = "dir";
        result["entries"] = RepositoryFiles.Entries(contents);
        return result;
    }
}

/// <summary>The repository's open pull requests, most recently created first (List pull requests).</summary>
public sealed class ListPullRequestsTool(GitHubCredentials credentials, GitHubClientFactory clients) : GitHubTool(credentials, clients)
{
    public override string Name => ToolDefinitions.ListPullRequests;

    protected override async Task<JsonNode> ExecuteAsync(IGitHubClient github, string owner, string name, JsonObject arguments)
    {
        var limit = arguments["limit"]?.GetValue<int>() ?? 20;
        var pulls = await github.PullRequest.GetAllForRepository(owner, name,
            new PullRequestRequest { State = ItemStateFilter.Open },
            new ApiOptions { PageSize = limit, PageCount = 1, StartPage = 1 });
        return new JsonObject
        {
            ["repository"] = $"{owner}/{name}",
            ["count"] = Math.Min(pulls.Count, limit),
            ["pull_requests"] = new JsonArray([.. pulls.Take(limit).Select(pr => (JsonNode)new JsonObject
            {
                ["number"] = pr.Number,
                ["title"] = ToolResults.Untrusted(pr.Title),
                ["author"] = pr.User?.Login,
                ["head"] = pr.Head?.Ref,
                ["base"] = pr.Base?.Ref,
                ["draft"] = pr.Draft,
                ["updated_at"] = pr.UpdatedAt.ToString("O"),
                ["html_url"] = pr.HtmlUrl,
            })]),
        };
    }
}

/// <summary>One pull request with its changed files and its diff, cut to <c>GitHub:MaxDiffChars</c> (Get a pull request, List pull requests files).</summary>
public sealed class GetPullRequestTool(GitHubCredentials credentials, GitHubClientFactory clients, IOptions<GitHubOptions> options)
    : GitHubTool(credentials, clients)
{
    /// <summary>GitHub's largest page; a pull request with more changed files is listed in part, and the result says so.</summary>
    public const int MaxFiles = 100;

    private const int MaxBodyChars = 2_000;

    public override string Name => ToolDefinitions.GetPullRequest;

    protected override string? NotFoundMessage(JsonObject arguments) =>
        $"{arguments.Text("repository")} has no pull request #{arguments["number"]}, or the user's token cannot see it. Use list_pull_requests to find its number.";

    protected override async Task<JsonNode> ExecuteAsync(IGitHubClient github, string owner, string name, JsonObject arguments)
    {
        var number = arguments["number"]!.GetValue<int>();
        var pr = await github.PullRequest.Get(owner, name, number);
        var files = await github.PullRequest.Files(owner, name, number, new ApiOptions { PageSize = MaxFiles, PageCount = 1, StartPage = 1 });
        var diff = PullRequestDiff.Build(files, options.Value.MaxDiffChars, out var diffTruncated, out var shownFiles);
        var bodyTruncated = pr.Body is { Length: > MaxBodyChars };

        var notes = new List<string>();
        if (pr.ChangedFiles > files.Count)
        {
            notes.Add($"Only the first {files.Count} of {pr.ChangedFiles} changed files are listed.");
        }

        if (diffTruncated)
        {
            notes.Add($"The diff is cut at {options.Value.MaxDiffChars} characters: it shows {shownFiles} of {files.Count} files whole. "
                + $"Read the others with read_repository_contents at ref {pr.Head?.Sha}.");
        }

        if (bodyTruncated)
        {
            notes.Add($"The description is cut at {MaxBodyChars} characters.");
        }

        return new JsonObject
        {
            ["repository"] = $"{owner}/{name}",
            ["number"] = pr.Number,
            ["title"] = ToolResults.Untrusted(pr.Title),
            ["body"] = ToolResults.Untrusted(bodyTruncated ? pr.Body![..MaxBodyChars] : pr.Body),
            ["state"] = pr.State.StringValue,
            ["draft"] = pr.Draft,
            ["merged"] = pr.Merged,
            ["author"] = pr.User?.Login,
            ["head"] = pr.Head?.Ref,
            ["head_sha"] = pr.Head?.Sha,
            ["base"] = pr.Base?.Ref,
            ["html_url"] = pr.HtmlUrl,
            ["commits"] = pr.Commits,
            ["additions"] = pr.Additions,
            ["deletions"] = pr.Deletions,
            ["changed_files"] = pr.ChangedFiles,
            ["files"] = new JsonArray([.. files.Select(f => (JsonNode)new JsonObject
            {
                ["filename"] = f.FileName,
                ["status"] = f.Status,
                ["additions"] = f.Additions,
                ["deletions"] = f.Deletions,
                ["previous_filename"] = f.PreviousFileName,
            })]),
            ["diff"] = ToolResults.Untrusted(diff),
            ["diff_truncated"] = diffTruncated,
            ["note"] = notes.Count == 0 ? null : string.Join(" ", notes),
        };
    }
}

/// <summary>
/// Posts a review on a pull request: a verdict (APPROVE, REQUEST_CHANGES, COMMENT), a summary and comments
/// on lines of its diff (Create a review for a pull request). Each comment's line is checked against the
/// diff first, because GitHub refuses the whole review for one bad line without saying which.
/// </summary>
public sealed class PostPullRequestReviewTool(GitHubCredentials credentials, GitHubClientFactory clients) : GitHubTool(credentials, clients)
{
    public override string Name => ToolDefinitions.PostPullRequestReview;

    protected override ToolDenial? CheckArguments(JsonObject arguments) =>
        arguments.Text("event") is "REQUEST_CHANGES" or "COMMENT" && string.IsNullOrWhiteSpace(arguments.Text("body"))
            ? new ToolDenial("invalid_arguments", $"A review with event {arguments.Text("event")} needs a body: say what should change, or what the comment is. Call the tool again with one.")
            : null;

    protected override string? NotFoundMessage(JsonObject arguments) =>
        $"{arguments.Text("repository")} has no pull request #{arguments["number"]}, or the user's token cannot see it. Use list_pull_requests to find its number.";

    protected override async Task<JsonNode> ExecuteAsync(IGitHubClient github, string owner, string name, JsonObject arguments)
    {
        var number = arguments["number"]!.GetValue<int>();
        var comments = (arguments["comments"] as JsonArray ?? []).Select(c => new NewReviewComment
        {
            Path = c!["path"]!.GetValue<string>(),
            Line = c["line"]!.GetValue<int>(),
            Side = c["side"]?.GetValue<string>() ?? "RIGHT",
            Body = c["body"]!.GetValue<string>(),
        }).ToList();

        var pr = await github.PullRequest.Get(owner, name, number);
        if (pr.State.Value != ItemState.Open)
        {
            throw new ToolFailureException("pull_request_closed", $"Pull request #{number} is {pr.State.StringValue}; a review can only be posted on an open one.");
        }

        if (comments.Count > 0)
        {
            var files = await github.PullRequest.Files(owner, name, number, new ApiOptions { PageSize = GetPullRequestTool.MaxFiles, PageCount = 1, StartPage = 1 });
            CheckLines(comments, files);
        }

        var review = await GitHubRest.CreateReview(github, owner, name, number, new NewReview
        {
            CommitId = pr.Head.Sha,
            Body = arguments.Text("body"),
            Event = arguments.Text("event")!,
            Comments = comments,
        });

        return new JsonObject
        {
            ["repository"] = $"{owner}/{name}",
            ["pull_request"] = number,
            ["review_id"] = review.Id,
            ["event"] = arguments.Text("event"),
            ["state"] = review.State.StringValue,
            ["comments"] = comments.Count,
            ["commit_id"] = review.CommitId,
            ["html_url"] = review.HtmlUrl,
        };
    }

    private static void CheckLines(List<NewReviewComment> comments, IReadOnlyList<PullRequestFile> files)
    {
        var problems = new List<string>();
        for (var i = 0; i < comments.Count; i++)
        {
            var comment = comments[i];
            var file = files.FirstOrDefault(f => f.FileName == comment.Path);
            if (file is null)
            {
                problems.Add($"comment {i + 1}: {comment.Path} is not one of the pull request's changed files ({string.Join(", ", files.Take(20).Select(f => f.FileName))})");
            }
            else if (!PullRequestDiff.Commentable(file.Patch, comment.Line, comment.Side))
            {
                problems.Add($"comment {i + 1}: line {comment.Line} ({comment.Side}) of {comment.Path} is not in the diff; "
                    + $"the lines that are: {PullRequestDiff.DescribeCommentable(file.Patch, comment.Side)}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ToolFailureException("comment_not_in_diff",
                "No review was posted: GitHub takes comments only on lines of the pull request's diff (side RIGHT: added or unchanged lines of the new file; "
                + $"LEFT: removed lines). {string.Join("; ", problems)}. Fix those comments (or put the remark in the review body) and ask the user to approve again.");
        }
    }
}
