using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.Gateway;

/// <summary>
/// How the web page signs people in with the OIDC issuer named by <c>Auth:Authority</c> (section
/// "WebSignIn"): the page is a public client of that issuer, using the authorization code flow with
/// PKCE, so it has a client id and no secret. Without a client id the page offers no OIDC sign-in.
/// </summary>
public sealed class WebSignInOptions
{
    public const string SectionName = "WebSignIn";

    [MaxLength(200)]
    public string? ClientId { get; set; }

    /// <summary>The scopes the page asks for; the issuer's access tokens must name <c>Auth:Audience</c>.</summary>
    [Required, MaxLength(500)]
    public string Scope { get; set; } = "openid profile";

    /// <summary>Shown on the sign-in button ("Sign in with …").</summary>
    [Required, MaxLength(100)]
    public string ProviderName { get; set; } = "your organization's account";
}
