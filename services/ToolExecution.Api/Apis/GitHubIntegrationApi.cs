using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Problems;
using LettaPlatform.ToolExecution.Api.GitHub;
using Microsoft.AspNetCore.Http.HttpResults;
using Octokit;

namespace LettaPlatform.ToolExecution.Api.Apis;

/// <summary>A token (surrounding spaces are ignored) and the repositories it may be used for.</summary>
public sealed record ConnectGitHubRequest(
    [property: Required(ErrorMessage = ConnectGitHubRequest.TokenMessage), RegularExpression(@"^\s*\S{1,500}\s*$", ErrorMessage = ConnectGitHubRequest.TokenMessage)] string? Token,
    IReadOnlyList<string>? AllowedRepositories) : IValidatableObject
{
    public const int MaxAllowedRepositories = 100;

    private const string TokenMessage = "token is required: a GitHub personal access token without spaces.";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AllowedRepositories is { } allowed && (allowed.Count > MaxAllowedRepositories || allowed.Any(r => r is null || !GitHubCredentials.IsValidAllowedEntry(r))))
        {
            yield return new ValidationResult(
                $"Each entry must be owner/name or owner/* (at most {MaxAllowedRepositories} entries).", [nameof(AllowedRepositories)]);
        }
    }
}

public sealed record GitHubIntegrationDto(bool Connected, string? Login, IReadOnlyList<string> AllowedRepositories);

/// <summary>
/// The caller's GitHub connection. The token goes in once (<c>PUT</c>) and never comes out: no response,
/// log line or audit entry carries it.
/// </summary>
public static class GitHubIntegrationApi
{
    public static IEndpointRouteBuilder MapGitHubIntegrationApi(this IEndpointRouteBuilder app)
    {
        var github = app.MapGroup("/api/integrations/github").WithTags("Integrations");
        github.MapPut("", ConnectGitHub).WithName("ConnectGitHub")
            .WithSummary("Connect the caller's GitHub account")
            .WithDescription("Checks `token` (a personal access token) with GitHub, then keeps it encrypted with `allowedRepositories` "
                + "(`owner/name` or `owner/*`, at most 100), the only repositories the agent's GitHub tools may touch; replaces an earlier "
                + "connection. Answers 204; the token is never returned. 400 `github_token_rejected` when GitHub refuses the token; "
                + "502 `github_unavailable` when GitHub cannot be asked.");
        github.MapGet("", GetGitHubIntegration).WithName("GetGitHubIntegration")
            .WithSummary("Get the caller's GitHub connection")
            .WithDescription("Whether GitHub is connected, as which login, and the allowed repositories; never the token.");
        github.MapDelete("", DisconnectGitHub).WithName("DisconnectGitHub")
            .WithSummary("Disconnect the caller's GitHub account")
            .WithDescription("Forgets the token and the allowed repositories. Answers 204, also when nothing was connected.");
        return app;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ConnectGitHub(
        ConnectGitHubRequest request, ClaimsPrincipal user, GitHubCredentials credentials, GitHubClientFactory clients, CancellationToken cancellationToken)
    {
        var token = request.Token!.Trim();
        var allowed = request.AllowedRepositories ?? [];
        string login;
        try
        {
            login = (await clients.Create(token).User.Current().WaitAsync(cancellationToken)).Login;
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

        await credentials.SaveAsync(user.GetUserId(), token, login, allowed.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), cancellationToken);
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
