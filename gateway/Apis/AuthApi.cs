using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LettaPlatform.Gateway.Apis;

public sealed record DevTokenRequest(string? UserId, string? DisplayName);

public sealed record DevTokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

public static class AuthApi
{
    private const int MaxUserIdLength = 128;

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/api/auth").WithTags("Auth");

        auth.MapPost("/dev-token", CreateDevToken)
            .WithName("CreateDevToken")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitingOptions.PerUserPolicy);

        return endpoints;
    }

    /// <summary>
    /// Signs a token for any user id, so it exists only in the Development environment; elsewhere the
    /// route answers 404 as if it were not there (it is mapped so that the answer is not a 401).
    /// </summary>
    public static Results<Ok<DevTokenResponse>, NotFound<ProblemDetails>, ValidationProblem> CreateDevToken(
        DevTokenRequest request,
        IHostEnvironment environment,
        DevTokenIssuerAccessor issuer)
    {
        if (!environment.IsDevelopment() || issuer.Issuer is null)
        {
            return TypedResults.NotFound(new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "Not Found",
                Detail = "Development tokens are only issued in the Development environment.",
            });
        }

        if (string.IsNullOrWhiteSpace(request.UserId) || request.UserId.Length > MaxUserIdLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["userId"] = [$"A user id of 1 to {MaxUserIdLength} characters is required."],
            });
        }

        var token = issuer.Issuer.CreateToken(request.UserId.Trim(), request.DisplayName);
        return TypedResults.Ok(new DevTokenResponse(token.AccessToken, token.ExpiresAt));
    }
}
