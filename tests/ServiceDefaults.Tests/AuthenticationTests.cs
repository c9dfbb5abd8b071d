using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.ServiceDefaults.Tests;

/// <summary>
/// Tokens of a real OpenID Connect provider (OpenIddict, signed in with the code flow and PKCE) and the
/// gateway's development tokens, against a service configured with one or both.
/// </summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private const string DevKey = "authentication-tests-signing-key-0123456789";
    private const string ClientId = "authentication-tests";
    private static readonly Uri RedirectUri = new("http://127.0.0.1:1/signed-in");
    private readonly TestIdentityProvider identityProvider = new();

    public async ValueTask InitializeAsync()
    {
        await identityProvider.StartAsync();
        identityProvider.AddUser("olivia", "olivia-password");
        identityProvider.AddUser("ada", "ada-password", Roles.Admin);
        await identityProvider.AddWebClientAsync(ClientId, RedirectUri);
    }

    public async ValueTask DisposeAsync() => await identityProvider.DisposeAsync();

    [Fact]
    public async Task IssuerOnly_IssuerToken_AuthenticatesAsSubject_DevTokenRejected()
    {
        await using var service = await StartServiceAsync(authority: true, devKey: false);
        var token = await SignInAsync("olivia");

        using var me = await GetAsync(service, "/me", token);
        using var dev = await GetAsync(service, "/me", new DevTokenIssuer(DevKey).CreateToken("olivia").AccessToken);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("olivia", await me.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Unauthorized, dev.StatusCode);
        Assert.Equal("application/problem+json", dev.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task IssuerAndDevKey_BothKindsOfTokenAuthenticate()
    {
        await using var service = await StartServiceAsync(authority: true, devKey: true);

        using var issued = await GetAsync(service, "/me", await SignInAsync("olivia"));
        using var dev = await GetAsync(service, "/me", new DevTokenIssuer(DevKey).CreateToken("devon").AccessToken);

        Assert.Equal("olivia", await issued.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("devon", await dev.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task IssuerAndDevKey_DevIssuerSignedWithAnotherKey_IsRejected()
    {
        await using var service = await StartServiceAsync(authority: true, devKey: true);
        var forged = new DevTokenIssuer("someone-elses-key-that-is-long-enough-000").CreateToken("mallory").AccessToken;

        using var response = await GetAsync(service, "/me", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task IssuerToken_RoleClaim_GrantsTheAdminPolicyOnlyToAdmins()
    {
        await using var service = await StartServiceAsync(authority: true, devKey: false);

        using var admin = await GetAsync(service, "/admin", await SignInAsync("ada"));
        using var user = await GetAsync(service, "/admin", await SignInAsync("olivia"));

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
    }

    [Fact]
    public async Task IssuerToken_ForAnotherAudience_IsRejected()
    {
        await using var service = await StartServiceAsync(authority: true, devKey: false, audience: "another-api");

        using var response = await GetAsync(service, "/me", await SignInAsync("olivia"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssuerToken_Tampered_IsRejected()
    {
        await using var service = await StartServiceAsync(authority: true, devKey: true);
        var token = await SignInAsync("olivia");
        var tampered = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        using var response = await GetAsync(service, "/me", tampered);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private Task<string> SignInAsync(string user) =>
        identityProvider.SignInAsync(ClientId, RedirectUri, user, $"{user}-password", TestContext.Current.CancellationToken);

    private async Task<WebApplication> StartServiceAsync(bool authority, bool devKey, string audience = TestIdentityProvider.Audience)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Authority"] = authority ? identityProvider.Authority : null,
            ["Auth:Audience"] = authority ? audience : null,
            ["Auth:RequireHttpsMetadata"] = "false",
            ["Auth:DevSigningKey"] = devKey ? DevKey : null,
        });
        builder.Services.AddProblemDetails();
        builder.AddDefaultAuthentication();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", (ClaimsPrincipal user) => user.GetUserId());
        app.MapGet("/admin", () => "admin").RequireAuthorization(Policies.Admin);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private static async Task<HttpResponseMessage> GetAsync(WebApplication service, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await service.GetTestClient().SendAsync(request, TestContext.Current.CancellationToken);
    }
}
