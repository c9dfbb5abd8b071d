using Octokit;

namespace LettaPlatform.ToolExecution.Api.GitHub;

/// <summary>
/// The few GitHub REST calls Octokit's typed clients do not make as GitHub documents them today, made
/// through Octokit's own connection (same authentication, errors and JSON naming): the README at a ref,
/// "Get a reference" at its documented path (<c>git/ref/…</c>, singular), and a review whose comments
/// name file lines (<c>line</c>, <c>side</c>) rather than the deprecated diff <c>position</c>.
/// </summary>
public static class GitHubRest
{
    /// <summary><c>GET /repos/{owner}/{repo}/readme</c> (with <c>?ref=</c> when given).</summary>
    public static Task<RepositoryContent> GetReadme(IGitHubClient github, string owner, string name, string? reference) =>
        new ApiConnection(github.Connection).Get<RepositoryContent>(
            new Uri($"repos/{owner}/{name}/readme", UriKind.Relative),
            reference is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["ref"] = reference });

    /// <summary><c>GET /repos/{owner}/{repo}/git/ref/heads/{branch}</c>: the commit the branch points to.</summary>
    public static async Task<string> GetBranchHead(IGitHubClient github, string owner, string name, string branch) =>
        (await new ApiConnection(github.Connection).Get<Reference>(new Uri($"repos/{owner}/{name}/git/ref/heads/{branch}", UriKind.Relative))).Object.Sha;

    /// <summary><c>POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews</c>.</summary>
    public static Task<PullRequestReview> CreateReview(IGitHubClient github, string owner, string name, int number, NewReview review) =>
        new ApiConnection(github.Connection).Post<PullRequestReview>(ApiUrls.PullRequestReviews(owner, name, number), review);
}

/// <summary>The body of "Create a review for a pull request" (Octokit sends it snake_cased: <c>commit_id</c>…; nulls are left out).</summary>
public sealed class NewReview
{
    public required string CommitId { get; init; }

    public string? Body { get; init; }

    /// <summary><c>APPROVE</c>, <c>REQUEST_CHANGES</c> or <c>COMMENT</c>.</summary>
    public required string Event { get; init; }

    public required IReadOnlyList<NewReviewComment> Comments { get; init; }
}

/// <summary>A draft review comment on one line of a file in the pull request's diff.</summary>
public sealed class NewReviewComment
{
    public required string Path { get; init; }

    public required string Body { get; init; }

    public required int Line { get; init; }

    /// <summary><c>RIGHT</c> (the new file: added or unchanged lines) or <c>LEFT</c> (the old file: removed lines).</summary>
    public required string Side { get; init; }
}
