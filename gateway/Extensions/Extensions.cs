using System.Globalization;
using System.Threading.RateLimiting;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace LettaPlatform.Gateway.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        // Destinations are service names (http://chat-api); service discovery turns them into addresses.
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
        builder.Services.AddOpenApi();

        builder.Services.AddOptions<WebSignInOptions>()
            .BindConfiguration(WebSignInOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<RateLimitingOptions>()
            .BindConfiguration(RateLimitingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RateLimitingOptions.PerUserPolicy, PartitionPerUser);
            limiter.OnRejected = WriteRateLimitedAsync;
        });

        builder.Services.AddSingleton(services =>
        {
            var key = services.GetRequiredService<IOptions<AuthOptions>>().Value.DevSigningKey;
            return new DevTokenIssuerAccessor(string.IsNullOrEmpty(key) ? null : new DevTokenIssuer(key, services.GetRequiredService<TimeProvider>()));
        });

        return builder;
    }

    /// <summary>
    /// Static files first and anonymous (the web UI, with its security headers), then authentication,
    /// authorization and the per-user rate limiter for the API. No response compression or buffering
    /// middleware: proxied event streams must reach the client event by event.
    /// </summary>
    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        var contentSecurityPolicy = WebPageContentSecurityPolicy(app.Services.GetRequiredService<IOptions<AuthOptions>>().Value);
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = contentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                // The page's address holds the authorization code for a moment after sign-in: never send it on.
                headers["Referrer-Policy"] = "no-referrer";
            },
        });

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.Use(RefuseNonAsciiHeaders);

        return app;
    }

    /// <summary>
    /// HTTP/1.1 header values are ASCII; the forwarding client refuses anything else, which would
    /// surface as a 502. A header the gateway cannot forward is the client's mistake: a 400 that says which.
    /// </summary>
    private static Task RefuseNonAsciiHeaders(HttpContext context, RequestDelegate next)
    {
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                if (value is not null && !System.Text.Ascii.IsValid(value))
                {
                    return ApiProblems.InvalidHeader.Result($"The header '{name}' holds a character outside ASCII; send it with ASCII characters only.").ExecuteAsync(context);
                }
            }
        }

        return next(context);
    }

    /// <summary>
    /// Scripts, styles and requests from the gateway only, except the OIDC issuer, which the page asks
    /// for its discovery document and its token endpoint.
    /// </summary>
    internal static string WebPageContentSecurityPolicy(AuthOptions auth)
    {
        var connect = auth.UsesAuthority && Uri.TryCreate(auth.Authority, UriKind.Absolute, out var issuer)
            ? $"'self' {issuer.GetLeftPart(UriPartial.Authority)}"
            : "'self'";
        return $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src {connect}; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static RateLimitPartition<string> PartitionPerUser(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value;

        // Anonymous calls (the dev token route) are limited per client address instead.
        var partitionKey = context.User.FindUserId() is { } userId
            ? $"user:{userId}"
            : $"ip:{context.Connection.RemoteIpAddress}";

        return RateLimitPartition.GetFixedWindowLimiter(partitionKey, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.PermitLimit,
            Window = options.Window,
            QueueLimit = 0,
        });
    }

    private static async ValueTask WriteRateLimitedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;

        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "The per-user request limit was reached; retry after the time in the Retry-After header.",
            },
        });
    }
}
