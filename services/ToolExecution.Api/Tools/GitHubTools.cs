using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ToolExecution.Api.Catalog;
using LettaPlatform.ToolExecution.Api.GitHub;
using LettaPlatform.ToolExecution.Api.Guard;
using Octokit;

namespace LettaPlatform.ToolExecution.Api.Tools;

/// <summary>
/// What every GitHub tool shares: the user's connection, the allowed-repository check (then the tool's own
/// checks of its arguments, <see cref="CheckArguments"/>), and GitHub's errors turned into tool errors.
/// </summary>
public abstract class GitHubTool(GitHubCredentials credentials, GitHubClientFactory clients) : IToolHandler
{
    private GitHubAccess? _access;

    public abstract string Name { get; }

    public async Task<ToolDenial?> AuthorizeAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken)
    {
        try
        {
            _access = await credentials.GetAccessAsync(call.UserId, cancellationToken);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The key the token was encrypted with is gone from the shared key ring (Redis lost it, or it was replaced).
            return new ToolDenial("github_reconnect_required",
                "The user's stored GitHub token can no longer be read by the platform. Ask them to connect GitHub again in the integration settings.");
        }

        var repository = arguments.Text("repository")!;
        if (_access is null)
        {
            return new ToolDenial("github_not_connected",
                "The user has not connected GitHub. Ask them to connect it in the integration settings first.");
        }

        return _access.Allows(repository)
            ? CheckArguments(arguments)
            : new ToolDenial("repository_not_allowed",
                $"The user has not allowed the agent to use {repository}. Allowed: "
                + (_access.AllowedRepositories.Count == 0 ? "none yet" : string.Join(", ", _access.AllowedRepositories))
                + ". Ask the user to add it in the GitHub integration settings if it is needed.");
    }

    public Task<JsonNode> ExecuteAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken) =>
        CallGitHubAsync(arguments, (github, owner, name) => ExecuteAsync(github, owner, name, arguments), cancellationToken);

    /// <summary>The tool's own refusals (check 3) once the repository is allowed: sizes, paths… Null: none.</summary>
    protected virtual ToolDenial? CheckArguments(JsonObject arguments) => null;

    /// <summary>What the agent is told when GitHub answers 404; null: the repository itself is missing.</summary>
    protected virtual string? NotFoundMessage(JsonObject arguments) => null;

    /// <summary>Runs <paramref name="action"/> with the user's client; GitHub's errors become <see cref="ToolFailureException"/>s.</summary>
    protected async Task<T> CallGitHubAsync<T>(JsonObject arguments, Func<IGitHubClient, string, string, Task<T>> action, CancellationToken cancellationToken)
    {
        var access = _access ?? throw new InvalidOperationException($"{Name} ran without being authorized.");
        var repository = arguments.Text("repository")!;
        var parts = repository.Split('/');
        try
        {
            return await action(clients.Create(access.Token), parts[0], parts[1]).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not ToolFailureException && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            throw GitHubErrors.ToToolFailure(ex, repository, NotFoundMessage(arguments));
        }
    }

    protected abstract Task<JsonNode> ExecuteAsync(IGitHubClient github, string owner, string name, JsonObject arguments);
}

public sealed class GetRepositoryInfoTool(GitHubCredentials credentials, GitHubClientFactory clients) : GitHubTool(credentials, clients)
{
    private const int RecentCommits = 5;

    public override string Name => ToolDefinitions.GetRepositoryInfo;

    protected override async Task<JsonNode> ExecuteAsync(IGitHubClient github, string owner, string name, JsonObject arguments)
    {
        var repository = await github.Repository.Get(owner, name);
        var commits = await github.Repository.Commit.GetAll(owner, name, new ApiOptions { PageSize = RecentCommits, PageCount = 1, StartPage = 1 });

        return new JsonObject
        {
            ["repository"] = repository.FullName,
            ["description"] = ToolResults.Untrusted(repository.Description),
            ["default_branch"] = repository.DefaultBranch,
            ["language"] = repository.Language,
            ["open_issues"] = repository.OpenIssuesCount,
            ["stars"] = repository.StargazersCount,
            ["private"] = repository.Private,
            ["archived"] = repository.Archived,
            ["html_url"] = repository.HtmlUrl,
            ["pushed_at"] = repository.PushedAt?.ToString("O"),
            ["recent_commits"] = new JsonArray([.. commits.Take(RecentCommits).Select(c => (JsonNode)new JsonObject
            {
                ["sha"] = c.Sha.Length > 12 ? c.Sha[..12] : c.Sha,
                ["author"] = c.Commit?.Author?.Name,
                ["date"] = c.Commit?.Author?.Date.ToString("O"),
                ["message"] = ToolResults.Untrusted(FirstLine(c.Commit?.Message)),
            })]),
        };
    }

    private static string? FirstLine(string? message) => message?.Split('\n', 2)[0];
}

public sealed class CreatePullRequestTool(GitHubCredentials credentials, GitHubClientFactory clients) : GitHubTool(credentials, clients)
{
    public override string Name => ToolDefinitions.CreatePullRequest;

    protected override async Task<JsonNode> ExecuteAsync(IGitHubClient github, string owner, string name, JsonObject arguments)
    {
        var baseBranch = arguments.Text("base") ?? (await github.Repository.Get(owner, name)).DefaultBranch;
        var pullRequest = await github.PullRequest.Create(owner, name, new NewPullRequest(arguments.Text("title"), arguments.Text("head"), baseBranch)
        {
            Body = arguments.Text("body"),
            Draft = arguments["draft"]?.GetValue<bool>() ?? false,
        });

        return new JsonObject
        {
            ["number"] = pullRequest.Number,
            ["html_url"] = pullRequest.HtmlUrl,
            ["state"] = pullRequest.State.StringValue,
            ["draft"] = pullRequest.Draft,
            ["head"] = pullRequest.Head?.Ref,
            ["base"] = pullRequest.Base?.Ref,
            ["title"] = ToolResults.Untrusted(pullRequest.Title),
        };
    }
}
