using System.Security.Claims;

namespace LettaPlatform.ServiceDefaults.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The caller's user id (the token's <c>sub</c>), or null for an anonymous caller.</summary>
    public static string? FindUserId(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimNames.Subject);

    /// <summary>The caller's user id; for endpoints that require an authenticated user, where a missing <c>sub</c> is a bug.</summary>
    public static string GetUserId(this ClaimsPrincipal principal) =>
        principal.FindUserId() ?? throw new InvalidOperationException("The authenticated principal has no 'sub' claim.");
}
