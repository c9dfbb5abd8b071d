using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LettaPlatform.ServiceDefaults.Auth;

public static class AuthExtensions
{
    /// <summary>The default scheme: it hands each request to the validator for its token's issuer.</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>Validates tokens of the OIDC issuer named by <see cref="AuthOptions.Authority"/>.</summary>
    public const string IssuerScheme = "oidc";

    /// <summary>Validates the HS256 tokens of <see cref="DevTokenIssuer"/>.</summary>
    public const string DevTokenScheme = "dev-token";

    /// <summary>The longest <c>sub</c> accepted: what identity providers issue (OIDC allows 255 ASCII characters).</summary>
    public const int MaxSubjectLength = 255;

    private static readonly JsonWebTokenHandler TokenReader = new();

    /// <summary>
    /// JWT bearer authentication from <see cref="AuthOptions"/>, the <see cref="Policies.Admin"/>
    /// policy, and a fallback policy that requires an authenticated user: an endpoint is protected
    /// unless it says <c>AllowAnonymous()</c>.
    /// </summary>
    public static TBuilder AddDefaultAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddAuthentication(BearerScheme)
            .AddPolicyScheme(BearerScheme, BearerScheme, policy => policy.ForwardDefaultSelector = SelectScheme)
            .AddJwtBearer(IssuerScheme)
            .AddJwtBearer(DevTokenScheme);
        builder.Services.AddOptions<JwtBearerOptions>(IssuerScheme)
            .Configure<IOptions<AuthOptions>>((jwt, authOptions) => ConfigureIssuer(jwt, authOptions.Value));
        builder.Services.AddOptions<JwtBearerOptions>(DevTokenScheme)
            .Configure<IOptions<AuthOptions>>((jwt, authOptions) => ConfigureDevToken(jwt, authOptions.Value));

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        return builder;
    }

    /// <summary>
    /// With one way configured, that one. With both, the token's own (unverified) issuer chooses the
    /// validator; the chosen validator then checks signature, issuer, audience and lifetime in full,
    /// so a token claiming the dev issuer still needs the dev key.
    /// </summary>
    private static string SelectScheme(HttpContext context)
    {
        var auth = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (!auth.UsesDevSigningKey)
        {
            return IssuerScheme;
        }

        if (!auth.UsesAuthority)
        {
            return DevTokenScheme;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            var token = header[prefix.Length..].Trim();
            if (TokenReader.CanReadToken(token) && TokenReader.ReadJsonWebToken(token).Issuer == DevTokenIssuer.Issuer)
            {
                return DevTokenScheme;
            }
        }

        return IssuerScheme;
    }

    private static void ConfigureIssuer(JwtBearerOptions jwt, AuthOptions auth)
    {
        ConfigureCommon(jwt);
        jwt.TokenValidationParameters.RoleClaimType = auth.RoleClaim;
        jwt.Authority = auth.Authority;
        jwt.Audience = auth.Audience;
        jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
    }

    private static void ConfigureDevToken(JwtBearerOptions jwt, AuthOptions auth)
    {
        ConfigureCommon(jwt);
        if (!auth.UsesDevSigningKey)
        {
            return;
        }

        jwt.TokenValidationParameters.ValidIssuer = DevTokenIssuer.Issuer;
        jwt.TokenValidationParameters.ValidAudience = DevTokenIssuer.Audience;
        jwt.TokenValidationParameters.IssuerSigningKey = DevTokenIssuer.CreateSigningKey(auth.DevSigningKey!);
        jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
    }

    private static void ConfigureCommon(JwtBearerOptions jwt)
    {
        // Keep "sub" and "role" as they are in the token instead of the long WS-* claim URIs.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters.NameClaimType = ClaimNames.Subject;
        jwt.TokenValidationParameters.RoleClaimType = ClaimNames.Role;
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = RequireUsableSubject,
            OnChallenge = WriteChallengeAsync,
            OnForbidden = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "Your account may not use this operation."),
        };
    }

    /// <summary>
    /// The user is the token's <c>sub</c>: a token without one that every service can store (1 to
    /// <see cref="MaxSubjectLength"/> characters, no control characters or unpaired surrogates) is
    /// refused here, so no endpoint ever sees a caller it cannot name.
    /// </summary>
    private static Task RequireUsableSubject(TokenValidatedContext context)
    {
        if (!IsUsableSubject(context.Principal?.FindUserId()))
        {
            context.Fail($"The token has no usable 'sub' claim (1 to {MaxSubjectLength} characters, no control characters).");
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether <paramref name="subject"/> can be a user id everywhere on the platform.</summary>
    public static bool IsUsableSubject(string? subject) =>
        !string.IsNullOrWhiteSpace(subject)
        && subject.Length <= MaxSubjectLength
        && !subject.Any(char.IsControl)
        && Problems.StorableText.IsStorable(subject);

    // The authentication middleware answers before the status-code-pages middleware sees the
    // response, so 401/403 bodies are written here to stay RFC 9457 like every other error.
    private static async Task WriteChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        await WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
            context.AuthenticateFailure is null
                ? "Send 'Authorization: Bearer <token>' with a token of this platform's issuer."
                : "The bearer token was refused (expired, wrongly signed, for another audience, or without a usable 'sub'); sign in again.");
    }

    private static async Task WriteProblemAsync(HttpContext httpContext, int status, string title, string detail)
    {
        httpContext.Response.StatusCode = status;
        var problems = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}

public static class Policies
{
    public const string Admin = "admin";
}

public static class Roles
{
    public const string Admin = "admin";
}

public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string DisplayName = "name";
}
