using System.Net;
using System.Text.Json;

namespace LettaPlatform.Gateway.Tests;

/// <summary>What the web page learns about signing in (<c>GET /api/auth/config</c>) and the headers it is served with.</summary>
public sealed class SignInConfigurationTests
{
    private static readonly Dictionary<string, string> Issuer = new()
    {
        ["Auth:Authority"] = "https://login.example.com/realms/acme/",
        ["Auth:Audience"] = "lettaplatform",
        ["WebSignIn:ClientId"] = "lettaplatform-web",
        ["WebSignIn:ProviderName"] = "Acme ID",
    };

    [Fact]
    public async Task Config_DevelopmentWithoutIssuer_OffersDevSignInOnly()
    {
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend);

        var config = await GetConfigAsync(gateway);

        Assert.True(config.GetProperty("devSignIn").GetBoolean());
        Assert.Equal(JsonValueKind.Null, config.GetProperty("oidc").ValueKind);
    }

    [Fact]
    public async Task Config_ProductionWithIssuer_OffersTheProviderAndNoDevSignIn()
    {
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend, "Production", new Dictionary<string, string>(Issuer) { ["Auth:DevSigningKey"] = "" });
        using var client = gateway.CreateClient();

        var config = await GetConfigAsync(gateway);
        using var devToken = await client.PostAsync("/api/auth/dev-token", JsonContent.Create(new { userId = "alice" }), TestContext.Current.CancellationToken);

        Assert.False(config.GetProperty("devSignIn").GetBoolean());
        var oidc = config.GetProperty("oidc");
        Assert.Equal("https://login.example.com/realms/acme/", oidc.GetProperty("authority").GetString());
        Assert.Equal("lettaplatform-web", oidc.GetProperty("clientId").GetString());
        Assert.Equal("openid profile", oidc.GetProperty("scope").GetString());
        Assert.Equal("Acme ID", oidc.GetProperty("providerName").GetString());
        Assert.Equal(["authority", "clientId", "scope", "providerName"], oidc.EnumerateObject().Select(property => property.Name));
        Assert.Equal(HttpStatusCode.NotFound, devToken.StatusCode);
    }

    [Fact]
    public async Task Config_IssuerWithoutWebClientId_OffersNoProviderSignIn()
    {
        await using var backend = await FakeBackend.StartAsync();
        var settings = new Dictionary<string, string>(Issuer);
        settings.Remove("WebSignIn:ClientId");
        await using var gateway = new GatewayHost(backend, settings: settings);

        var config = await GetConfigAsync(gateway);

        Assert.True(config.GetProperty("devSignIn").GetBoolean());
        Assert.Equal(JsonValueKind.Null, config.GetProperty("oidc").ValueKind);
    }

    [Fact]
    public async Task Page_WithIssuer_SecurityHeadersAllowOnlyTheGatewayAndTheIssuer()
    {
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend, settings: Issuer);
        using var client = gateway.CreateClient();

        using var page = await client.GetAsync("/", TestContext.Current.CancellationToken);
        using var script = await client.GetAsync("/js/oidc.js", TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("connect-src 'self' https://login.example.com;", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.DoesNotContain("http-equiv=\"Content-Security-Policy\"", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(policy, script.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Page_WithoutIssuer_ConnectsToTheGatewayOnly()
    {
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend);
        using var client = gateway.CreateClient();

        using var page = await client.GetAsync("/index.html", TestContext.Current.CancellationToken);

        Assert.Contains("connect-src 'self';", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> GetConfigAsync(GatewayHost gateway)
    {
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync("/api/auth/config", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
    }
}
