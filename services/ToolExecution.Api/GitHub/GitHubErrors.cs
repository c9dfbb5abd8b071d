using LettaPlatform.ToolExecution.Api.Guard;
using Octokit;

namespace LettaPlatform.ToolExecution.Api.GitHub;

/// <summary>Turns GitHub's errors into tool errors that say what happened and what to do about it.</summary>
public static class GitHubErrors
{
    /// <param name="exception">What Octokit threw.</param>
    /// <param name="repository">The repository the call was about.</param>
    /// <param name="notFound">What a 404 means for this call (a missing file, pull request…); by default, a missing repository.</param>
    public static ToolFailureException ToToolFailure(Exception exception, string repository, string? notFound = null) => exception switch
    {
        RateLimitExceededException rateLimit => RateLimited(rateLimit.Reset),
        ForbiddenException forbidden when IsRateLimit(forbidden) => RateLimited(ResetOf(forbidden)),
        SecondaryRateLimitExceededException => new ToolFailureException(
            "github_rate_limited",
            "GitHub is limiting how fast requests are made (secondary rate limit). Wait a few minutes before trying again."),
        AuthorizationException => new ToolFailureException(
            "github_unauthorized",
            "GitHub rejected the user's stored token (401 Bad credentials): it was revoked or has expired. "
            + "Ask the user to reconnect GitHub in the integration settings; do not retry until then."),
        ForbiddenException forbidden => new ToolFailureException(
            "github_forbidden",
            $"GitHub refused access to {repository} (403: {forbidden.ApiError?.Message ?? forbidden.Message}). "
            + "The user's token may lack the permission this needs; ask the user to check it."),
        NotFoundException => new ToolFailureException(
            "github_not_found",
            notFound ?? $"GitHub has no repository {repository}, or the user's token cannot see it. Check the owner/name spelling."),
        ApiValidationException validation => new ToolFailureException(
            "github_validation_failed",
            $"GitHub did not accept the request: {Describe(validation)}"),
        ApiException api when (int)api.StatusCode >= 500 => Unavailable($"GitHub answered {(int)api.StatusCode}"),
        ApiException api => new ToolFailureException(
            "github_error",
            $"GitHub answered {(int)api.StatusCode}: {api.ApiError?.Message ?? api.Message}"),
        HttpRequestException or TaskCanceledException => Unavailable("GitHub could not be reached"),
        _ => Unavailable("The request to GitHub failed"),
    };

    private static ToolFailureException RateLimited(DateTimeOffset? reset) => new(
        "github_rate_limited",
        reset is { } at && at > DateTimeOffset.UnixEpoch
            ? $"The user's GitHub API rate limit is used up until {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC. Do not call GitHub tools before then; tell the user."
            : "The user's GitHub API rate limit is used up. Wait before calling GitHub tools again; tell the user.");

    private static ToolFailureException Unavailable(string what) => new(
        "github_unavailable",
        $"{what}; it may be temporarily unavailable. Try again later.");

    private static bool IsRateLimit(ApiException exception) =>
        exception.HttpResponse?.Headers is { } headers
        && headers.FirstOrDefault(h => string.Equals(h.Key, "x-ratelimit-remaining", StringComparison.OrdinalIgnoreCase)).Value == "0";

    private static DateTimeOffset? ResetOf(ApiException exception) =>
        exception.HttpResponse?.Headers.FirstOrDefault(h => string.Equals(h.Key, "x-ratelimit-reset", StringComparison.OrdinalIgnoreCase)).Value is { } reset
        && long.TryParse(reset, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static string Describe(ApiValidationException exception)
    {
        var details = exception.ApiError?.Errors?
            .Select(e => e.Message ?? $"{e.Resource} {e.Field} {e.Code}".Trim())
            .Where(m => !string.IsNullOrWhiteSpace(m))
            .ToList() ?? [];
        if (details.Count == 0)
        {
            // Some endpoints (reviews, say) answer "errors" as plain strings, which Octokit's model does not read.
            details = PlainErrors(exception.HttpResponse?.Body as string);
        }

        return details.Count > 0
            ? string.Join("; ", details)
            : exception.ApiError?.Message ?? "validation failed";
    }

    private static List<string> PlainErrors(string? body)
    {
        try
        {
            return body is not null && System.Text.Json.Nodes.JsonNode.Parse(body)?["errors"] is System.Text.Json.Nodes.JsonArray errors
                ? [.. errors.OfType<System.Text.Json.Nodes.JsonValue>()
                    .Where(e => e.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    .Select(e => e.GetValue<string>())]
                : [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }
}
