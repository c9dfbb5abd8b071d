using System.Security.Claims;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Problems;
using LettaPlatform.ToolExecution.Api.GitHub;
using Microsoft.AspNetCore.Http.HttpResults;
using Octokit;

namespace LettaPlatform.ToolExecution.Api.Apis;

public sealed record ConnectGitHubRequest(string? Token, IReadOnlyList<string>? AllowedRepositories);

public sealed record GitHubIntegrationDto(bool Connected, string? Login, IReadOnlyList<string> AllowedRepositories);

/// <summary>
/// The caller's GitHub connection. The token goes in once (<c>PUT</c>) and never comes out: no response,
/// log line or audit entry carries it.
/// </summary>
public static class GitHubIntegrationApi
{
    private const int MaxAllowedRepositories = 100;

    public static IEndpointRouteBuilder MapGitHubIntegrationApi(this IEndpointRouteBuilder app)
    {
        var github = app.MapGroup("/api/integrations/github").WithTags("Integrations");
        github.MapPut("", ConnectGitHub).WithName("ConnectGitHub");
        github.MapGet("", GetGitHubIntegration).WithName("GetGitHubIntegration");
        github.MapDelete("", DisconnectGitHub).WithName("DisconnectGitHub");
        return app;
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ConnectGitHub(
        ConnectGitHubRequest request, ClaimsPrincipal user, GitHubCredentials credentials, GitHubClientFactory clients, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var token = request.Token?.Trim();
        if (string.IsNullOrEmpty(token) || token.Length > 500 || token.Any(char.IsWhiteSpace))
        {
            errors["token"] = ["token is required: a GitHub personal access token without spaces."];
        }

        var allowed = request.AllowedRepositories ?? [];
        var invalid = allowed.Where(r => r is null || !GitHubCredentials.IsValidAllowedEntry(r)).ToList();
        if (invalid.Count > 0 || allowed.Count > MaxAllowedRepositories)
        {
            errors["allowedRepositories"] = [$"Each entry must be owner/name or owner/* (at most {MaxAllowedRepositories} entries)."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        string login;
        try
        {
            login = (await clients.Create(token!).User.Current().WaitAsync(cancellationToken)).Login;
        }
        catch (AuthorizationException)
        {
            return ApiProblems.GitHubTokenRejected.Result("GitHub rejected this token (401 Bad credentials); send a valid personal access token.",
                new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["token"] = ["GitHub rejected this token (401 Bad credentials)."] } });
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ApiProblems.GitHubUnavailable.Result(ex is ApiException api ? $"GitHub answered {(int)api.StatusCode}; try again later." : "GitHub could not be reached; try again later.");
        }

        await credentials.SaveAsync(user.GetUserId(), token!, login, allowed.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<GitHubIntegrationDto>> GetGitHubIntegration(ClaimsPrincipal user, GitHubCredentials credentials, CancellationToken cancellationToken) =>
        TypedResults.Ok(await credentials.FindAsync(user.GetUserId(), cancellationToken) is { } connection
            ? new GitHubIntegrationDto(true, connection.Login, connection.AllowedRepositories)
            : new GitHubIntegrationDto(false, null, []));

    public static async Task<NoContent> DisconnectGitHub(ClaimsPrincipal user, GitHubCredentials credentials, CancellationToken cancellationToken)
    {
        await credentials.DeleteAsync(user.GetUserId(), cancellationToken);
        return TypedResults.NoContent();
    }
}
