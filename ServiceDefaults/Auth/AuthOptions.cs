using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.ServiceDefaults.Auth;

/// <summary>
/// How JWTs are validated. Production names an OIDC issuer (<see cref="Authority"/> +
/// <see cref="Audience"/>); local runs and tests set <see cref="DevSigningKey"/>, and then tokens
/// are HS256 with issuer <see cref="DevTokenIssuer.Issuer"/> and audience <see cref="DevTokenIssuer.Audience"/>.
/// With both set (a developer trying a real identity provider), a token is checked by the validator
/// its issuer names, so both kinds are accepted.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Auth";

    public string? Authority { get; set; }

    public string? Audience { get; set; }

    /// <summary>Only for local use: a symmetric key of at least 32 characters shared by the gateway and every service.</summary>
    public string? DevSigningKey { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim holding the user's roles in the issuer's access tokens (Entra ID says <c>roles</c>).</summary>
    public string RoleClaim { get; set; } = ClaimNames.Role;

    public bool UsesDevSigningKey => !string.IsNullOrEmpty(DevSigningKey);

    public bool UsesAuthority => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesDevSigningKey)
        {
            if (DevSigningKey!.Length < 32)
            {
                yield return new ValidationResult("Auth:DevSigningKey must be at least 32 characters (HS256 needs a 256-bit key).", [nameof(DevSigningKey)]);
            }
        }

        if (UsesAuthority && string.IsNullOrWhiteSpace(Audience))
        {
            yield return new ValidationResult("Auth:Audience is required with Auth:Authority: it is the audience the issuer's access tokens name.", [nameof(Audience)]);
        }

        if (UsesAuthority && !Uri.TryCreate(Authority, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Auth:Authority must be an absolute URL (the issuer).", [nameof(Authority)]);
        }

        if (!UsesDevSigningKey && !UsesAuthority)
        {
            yield return new ValidationResult(
                "Configure either Auth:Authority and Auth:Audience (an OIDC issuer) or Auth:DevSigningKey (local development).",
                [nameof(Authority), nameof(Audience), nameof(DevSigningKey)]);
        }
    }
}
