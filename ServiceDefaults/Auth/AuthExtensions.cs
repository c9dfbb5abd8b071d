using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LettaPlatform.ServiceDefaults.Auth;

public static class AuthExtensions
{
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

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, authOptions) => Configure(jwt, authOptions.Value));

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        return builder;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth)
    {
        // Keep "sub" and "role" as they are in the token instead of the long WS-* claim URIs.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters.NameClaimType = ClaimNames.Subject;
        jwt.TokenValidationParameters.RoleClaimType = ClaimNames.Role;
        jwt.Events = new JwtBearerEvents
        {
            OnChallenge = WriteChallengeAsync,
            OnForbidden = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden"),
        };

        if (auth.UsesDevSigningKey)
        {
            jwt.TokenValidationParameters.ValidIssuer = DevTokenIssuer.Issuer;
            jwt.TokenValidationParameters.ValidAudience = DevTokenIssuer.Audience;
            jwt.TokenValidationParameters.IssuerSigningKey = DevTokenIssuer.CreateSigningKey(auth.DevSigningKey!);
            jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            return;
        }

        jwt.Authority = auth.Authority;
        jwt.Audience = auth.Audience;
        jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
    }

    // The authentication middleware answers before the status-code-pages middleware sees the
    // response, so 401/403 bodies are written here to stay RFC 9457 like every other error.
    private static async Task WriteChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        await WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized");
    }

    private static async Task WriteProblemAsync(HttpContext httpContext, int status, string title)
    {
        httpContext.Response.StatusCode = status;
        var problems = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title },
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
