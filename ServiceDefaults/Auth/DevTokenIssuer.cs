using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LettaPlatform.ServiceDefaults.Auth;

public sealed record DevToken(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues HS256 tokens signed with <see cref="AuthOptions.DevSigningKey"/>, which every service
/// accepts when it runs with that key. Used by the gateway's development token route and by tests;
/// never a production identity provider.
/// </summary>
public sealed class DevTokenIssuer(string signingKey, TimeProvider? timeProvider = null)
{
    public const string Issuer = "lettaplatform-dev";
    public const string Audience = "lettaplatform";

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(8);

    private readonly SigningCredentials _credentials = new(CreateSigningKey(signingKey), SecurityAlgorithms.HmacSha256);
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;

    public static SymmetricSecurityKey CreateSigningKey(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey));

    public DevToken CreateToken(string userId, string? displayName = null, IEnumerable<string>? roles = null, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);

        var now = _timeProvider.GetUtcNow();
        var expiresAt = now + (lifetime ?? DefaultLifetime);

        var claims = new List<Claim> { new(ClaimNames.Subject, userId) };
        if (!string.IsNullOrWhiteSpace(displayName))
        {
            claims.Add(new Claim(ClaimNames.DisplayName, displayName));
        }

        claims.AddRange((roles ?? []).Select(role => new Claim(ClaimNames.Role, role)));

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = _credentials,
        });

        return new DevToken(token, expiresAt);
    }
}
