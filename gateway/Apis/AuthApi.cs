using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Gateway.Apis;

public sealed record DevTokenRequest(string? UserId, string? DisplayName, IReadOnlyList<string>? Roles = null);

public sealed record DevTokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>What the web page needs to offer sign-in: public settings only, never a secret.</summary>
public sealed record SignInConfiguration(bool DevSignIn, OidcSignInConfiguration? Oidc);

public sealed record OidcSignInConfiguration(string Authority, string ClientId, string Scope, string ProviderName);

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/api/auth").WithTags("Auth");

        auth.MapGet("/config", GetSignInConfiguration)
            .WithName("GetSignInConfiguration")
            .WithSummary("How to sign in here")
            .WithDescription("Anonymous. Whether development tokens are offered (`devSignIn`) and, when an OIDC issuer is configured for "
                + "the web page, its authority, client id, scope and display name. Public settings only, never a secret.")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitingOptions.PerUserPolicy);

        auth.MapPost("/dev-token", CreateDevToken)
            .WithName("CreateDevToken")
            .WithSummary("Issue a development token")
            .WithDescription("Anonymous, and only in the Development environment (404 elsewhere). Signs a bearer token for any `userId` "
                + "(1 to 255 characters), with an optional `displayName` and `roles` (`[\"admin\"]` for an operator's token); every "
                + "service accepts it. Answers `accessToken` and `expiresAt`; 400 lists the fields that are not valid.")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitingOptions.PerUserPolicy);

        return endpoints;
    }

    /// <summary>
    /// How a person can sign in here: with a development token (Development with a dev signing key)
    /// and/or with the OIDC issuer (<c>Auth:Authority</c> with a <c>WebSignIn:ClientId</c>).
    /// </summary>
    public static Ok<SignInConfiguration> GetSignInConfiguration(
        IHostEnvironment environment,
        DevTokenIssuerAccessor issuer,
        IOptions<AuthOptions> auth,
        IOptions<WebSignInOptions> webSignIn)
    {
        var oidc = auth.Value.UsesAuthority && !string.IsNullOrWhiteSpace(webSignIn.Value.ClientId)
            ? new OidcSignInConfiguration(auth.Value.Authority!, webSignIn.Value.ClientId, webSignIn.Value.Scope, webSignIn.Value.ProviderName)
            : null;
        return TypedResults.Ok(new SignInConfiguration(environment.IsDevelopment() && issuer.Issuer is not null, oidc));
    }

    /// <summary>
    /// Signs a token for any user id, so it exists only in the Development environment; elsewhere the
    /// route answers 404 as if it were not there (it is mapped so that the answer is not a 401).
    /// </summary>
    public static Results<Ok<DevTokenResponse>, ProblemHttpResult, ValidationProblem> CreateDevToken(
        DevTokenRequest request,
        IHostEnvironment environment,
        DevTokenIssuerAccessor issuer)
    {
        if (!environment.IsDevelopment() || issuer.Issuer is null)
        {
            return ApiProblems.NotFound.Result("Development tokens are only issued in the Development environment.");
        }

        // The same rule the services apply to a token's sub, so a token issued here is usable everywhere.
        var userId = request.UserId?.Trim();
        if (!AuthExtensions.IsUsableSubject(userId))
        {
            return ApiProblems.Validation("userId", $"A user id of 1 to {AuthExtensions.MaxSubjectLength} characters without control characters is required.");
        }

        if (request.DisplayName is { Length: > 200 } || (request.DisplayName is not null && request.DisplayName.Any(char.IsControl)))
        {
            return ApiProblems.Validation("displayName", "A display name has at most 200 characters and no control characters.");
        }

        // Roles let a developer act as an operator (admin routes, lettactl) in Development, where any user id is already available.
        if (request.Roles is { } roles && (roles.Count > 10 || roles.Any(role => string.IsNullOrWhiteSpace(role) || role.Length > 50 || role.Any(char.IsControl))))
        {
            return ApiProblems.Validation("roles", "At most 10 roles, each 1 to 50 characters without control characters.");
        }

        var token = issuer.Issuer.CreateToken(userId!, request.DisplayName, request.Roles);
        return TypedResults.Ok(new DevTokenResponse(token.AccessToken, token.ExpiresAt));
    }
}
