using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LettaPlatform.TestInfrastructure;

/// <summary>
/// An OpenID Connect provider for tests, on a free 127.0.0.1 port: OpenIddict's server (a complete
/// OAuth 2.1 / OIDC implementation, not a stand-in) with the authorization code flow, PKCE required
/// for every client, refresh tokens for <c>offline_access</c>, RS256-signed JWT access tokens whose audience is <see cref="Audience"/>, an
/// end-session endpoint and CORS for the origins of registered web clients (as an identity provider
/// configured for a single-page app allows). People sign in on its own small login page with a user
/// name and password added by <see cref="AddUser"/>.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string Audience = "lettaplatform";
    public const string ApiScope = "lettaplatform-api";
    private const string LoginCookie = "test-idp-login";

    private readonly ConcurrentDictionary<string, (string Password, string[] Roles)> users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> allowedOrigins = new(StringComparer.OrdinalIgnoreCase);
    private readonly string databaseName = $"idp-{Guid.NewGuid():N}";
    private WebApplication? app;

    /// <summary>The issuer (and OIDC authority): <c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public string Authority { get; private set; } = "";

    /// <summary>Every token request's form fields, to check what a client sent (a PKCE verifier, say).</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> TokenRequests { get; } = new();

    public void AddUser(string userName, string password, params string[] roles) => users[userName] = (password, roles);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<DbContext>(options => options.UseInMemoryDatabase(databaseName).UseOpenIddict());
        builder.Services.AddCors();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options => options.Cookie.Name = LoginCookie);
        builder.Services.AddAuthorization();
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<DbContext>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/logout");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowRefreshTokenFlow();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess, ApiScope);
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                // Resource servers validate the access token themselves: a signed JWT, not an encrypted one.
                server.DisableAccessTokenEncryption();
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });

        app = builder.Build();
        app.UseCors(cors => cors.SetIsOriginAllowed(allowedOrigins.ContainsKey).AllowAnyHeader().AllowAnyMethod());
        // Before authentication: OpenIddict answers its endpoints from there.
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/connect/token" && context.Request.HasFormContentType)
            {
                context.Request.EnableBuffering();
                var form = await context.Request.ReadFormAsync();
                TokenRequests.Enqueue(form.ToDictionary(field => field.Key, field => field.Value.ToString()));
                context.Request.Body.Position = 0;
            }

            await next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)AuthorizeAsync);
        app.MapPost("/account/login", (Func<HttpContext, Task<IResult>>)LoginAsync);
        app.MapMethods("/connect/logout", [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)LogoutAsync);

        await app.StartAsync();
        Authority = app.Urls.Single().TrimEnd('/') + "/";
    }

    /// <summary>
    /// Registers a public client (a single-page app: no secret, PKCE) that may redirect to
    /// <paramref name="redirectUri"/> after sign-in and sign-out, and allows its origin through CORS.
    /// </summary>
    public async Task AddWebClientAsync(string clientId, Uri redirectUri)
    {
        using var scope = app!.Services.CreateScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            RedirectUris = { redirectUri },
            PostLogoutRedirectUris = { redirectUri },
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Roles,
                Permissions.Prefixes.Scope + ApiScope,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
        allowedOrigins[redirectUri.GetLeftPart(UriPartial.Authority)] = 0;
    }

    /// <summary>
    /// Signs <paramref name="userName"/> in the way a browser would — authorization request, login form,
    /// redirect with a code, token request with the PKCE verifier — and answers the access token.
    /// </summary>
    public async Task<string> SignInAsync(string clientId, Uri redirectUri, string userName, string password, CancellationToken cancellationToken = default)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(Authority) };
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = "connect/authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri.ToString(),
            ["scope"] = $"openid profile {ApiScope}",
            ["state"] = "state",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        }.Select(pair => $"{pair.Key}={Uri.EscapeDataString(pair.Value)}"));

        using var login = await http.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = userName,
            ["password"] = password,
            ["returnUrl"] = "/" + authorize,
        }), cancellationToken);
        using var authorized = await http.GetAsync(login.Headers.Location ?? throw new InvalidOperationException($"Sign-in of {userName} failed: {(int)login.StatusCode}."), cancellationToken);
        var location = authorized.Headers.Location ?? throw new InvalidOperationException($"The authorization request answered {(int)authorized.StatusCode}.");
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        var code = query["code"] ?? throw new InvalidOperationException($"No code in the redirect: {location}");

        using var token = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri.ToString(),
            ["code"] = code,
            ["code_verifier"] = verifier,
        }), cancellationToken);
        var body = await token.Content.ReadAsStringAsync(cancellationToken);
        token.EnsureSuccessStatusCode();
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private async Task<IResult> AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var login = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!login.Succeeded || login.Principal.Identity?.Name is not { } userName || !users.TryGetValue(userName, out var user))
        {
            return LoginPage(context.Request.Path + context.Request.QueryString, error: null);
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, userName).SetClaim(Claims.Name, userName).SetClaims(Claims.Role, [.. user.Roles]);
        identity.SetScopes(request.GetScopes());
        identity.SetResources(Audience);
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> LoginAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var userName = form["username"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (!returnUrl.StartsWith("/connect/authorize?", StringComparison.Ordinal))
        {
            return Results.BadRequest();
        }

        if (!users.TryGetValue(userName, out var user) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(user.Password), Encoding.UTF8.GetBytes(form["password"].ToString())))
        {
            return LoginPage(returnUrl, "Unknown user name or wrong password.");
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, userName)], CookieAuthenticationDefaults.AuthenticationScheme)));
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult LoginPage(string returnUrl, string? error)
    {
        var html = HtmlEncoder.Default;
        var page = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
            <body><main><h1>Test identity provider</h1>
            {(error is null ? "" : $"<p role=\"alert\">{html.Encode(error)}</p>")}
            <form method="post" action="/account/login">
              <input type="hidden" name="returnUrl" value="{html.Encode(returnUrl)}">
              <label for="username">Username</label> <input id="username" name="username" autocomplete="username">
              <label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
              <button type="submit">Log in</button>
            </form></main></body></html>
            """;
        return Results.Content(page, "text/html; charset=utf-8");
    }
}
