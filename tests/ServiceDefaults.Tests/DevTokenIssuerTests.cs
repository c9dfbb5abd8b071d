using System.ComponentModel.DataAnnotations;
using LettaPlatform.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LettaPlatform.ServiceDefaults.Tests;

public sealed class DevTokenIssuerTests
{
    private const string SigningKey = "dev-token-issuer-tests-signing-key-0123456789";

    [Fact]
    public async Task CreateToken_ValidatedWithSameKey_IsValidWithSubjectAndRoles()
    {
        var token = new DevTokenIssuer(SigningKey).CreateToken("alice", "Alice", [Roles.Admin]);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.AccessToken, Parameters(SigningKey));

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("alice", result.Claims[ClaimNames.Subject]);
        Assert.Equal("Alice", result.Claims[ClaimNames.DisplayName]);
        Assert.Equal(Roles.Admin, result.Claims[ClaimNames.Role]);
        Assert.True(token.ExpiresAt > DateTimeOffset.UtcNow.AddHours(7));
    }

    [Fact]
    public async Task CreateToken_PayloadTampered_IsRejected()
    {
        var token = new DevTokenIssuer(SigningKey).CreateToken("alice").AccessToken;
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"alice\"", "\"mallory\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(tampered, Parameters(SigningKey));

        Assert.Contains("mallory", payload, StringComparison.Ordinal);
        Assert.False(result.IsValid);
        Assert.IsAssignableFrom<SecurityTokenInvalidSignatureException>(result.Exception);
    }

    [Fact]
    public async Task CreateToken_ValidatedWithOtherKey_IsRejected()
    {
        var token = new DevTokenIssuer(SigningKey).CreateToken("alice").AccessToken;

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters("another-signing-key-that-is-long-enough-0000"));

        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("too-short", null, null, false)]
    [InlineData(SigningKey, null, null, true)]
    [InlineData(null, "https://issuer.example", "lettaplatform", true)]
    [InlineData(null, null, null, false)]
    public void AuthOptions_Validate_AcceptsOnlyAKeyOfAtLeast32CharactersOrAnIssuer(string? key, string? authority, string? audience, bool valid)
    {
        var options = new AuthOptions { DevSigningKey = key, Authority = authority, Audience = audience };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        Assert.Equal(valid, errors.Count == 0);
    }

    private static TokenValidationParameters Parameters(string key) => new()
    {
        ValidIssuer = DevTokenIssuer.Issuer,
        ValidAudience = DevTokenIssuer.Audience,
        IssuerSigningKey = DevTokenIssuer.CreateSigningKey(key),
    };
}
