using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>The platform as the AppHost starts it: every resource healthy, the gateway in front, the bus carrying messages.</summary>
public class PlatformFoundationTests(EndToEndPlatform platform)
{
    private static readonly string[] Services = ["chat-api", "agent-management-api", "tool-execution-api", "memory-sync-api"];

    [Fact]
    public async Task Health_EveryServiceThroughItsDiscoveredAddress_IsHealthy()
    {
        using var client = new HttpClient();
        foreach (var service in Services.Append("gateway").Append("letta"))
        {
            var path = service == "letta" ? "/v1/health/" : "/health";
            using var response = await client.GetAsync(new Uri(platform.ServiceUrl(service), path), TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{service}{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        }
    }

    [Fact]
    public async Task Health_EveryServiceThroughTheGateway_IsHealthy()
    {
        using var client = platform.CreateGatewayClient();
        foreach (var service in Services)
        {
            using var response = await client.GetAsync($"/health/{service}", TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/health/{service} answered {(int)response.StatusCode}: {body}");

            // The answer is the service's own health report (its database, broker and Redis), not the gateway's.
            using var report = JsonDocument.Parse(body);
            Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
            var checks = report.RootElement.GetProperty("checks").EnumerateObject().ToList();
            Assert.True(checks.Count >= 3, $"{service} reports only {checks.Count} checks: {body}");
            Assert.All(checks, check => Assert.Equal("Healthy", check.Value.GetProperty("status").GetString()));
        }
    }

    [Fact]
    public async Task Alive_Gateway_AnswersWithoutToken()
    {
        using var client = platform.CreateGatewayClient();
        using var response = await client.GetAsync("/alive", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("chat-api", "memory-sync-api")]
    [InlineData("agent-management-api", "tool-execution-api")]
    [InlineData("memory-sync-api", "chat-api")]
    public async Task Ping_FromOneServiceToAnother_CrossesTheBroker(string from, string to)
    {
        using var client = new HttpClient { BaseAddress = platform.ServiceUrl(from) };
        // The first request over a new request client also declares its response queue; on a loaded
        // machine (the test run starts ten services at once) that can outlast the ping's 5 s bound.
        var response = await client.GetAsync($"/diagnostics/ping/{to}", TestContext.Current.CancellationToken);
        for (var attempt = 1; attempt < 3 && response.StatusCode == HttpStatusCode.GatewayTimeout; attempt++)
        {
            response.Dispose();
            response = await client.GetAsync($"/diagnostics/ping/{to}", TestContext.Current.CancellationToken);
        }

        using var answered = response;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pong = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(to, pong.GetProperty("service").GetString());
        Assert.True(pong.GetProperty("roundTripMs").GetDouble() > 0);
    }

    [Fact]
    public async Task Api_WithoutToken_IsUnauthorized()
    {
        using var client = platform.CreateGatewayClient();
        using var response = await client.GetAsync("/api/agents", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Templates_ThroughTheGatewayWithDevToken_AreListed()
    {
        using var client = await platform.CreateUserClientAsync("e2e-foundation", TestContext.Current.CancellationToken);
        using var response = await client.GetAsync("/api/templates", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var templates = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var ids = templates.EnumerateArray().Select(template => template.GetProperty("id").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "code-assistant", "task-manager", "documentation" }, ids);
    }

    [Theory]
    [InlineData("/api/templates")]
    [InlineData("/api/agents")]
    [InlineData("/api/chat/sessions")]
    [InlineData("/api/tasks")]
    [InlineData("/api/integrations/github")]
    public async Task Api_WithTheIdentityProvidersToken_EveryServiceKnowsTheUser(string path)
    {
        var user = $"idp-{Guid.NewGuid():N}"[..14];
        platform.IdentityProvider.AddUser(user, "a long password");
        using var client = await platform.CreateSignedInClientAsync(user, "a long password", TestContext.Current.CancellationToken);

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Tasks_ProviderUserAndDevUser_SeeOnlyTheirOwn()
    {
        var user = $"idp-{Guid.NewGuid():N}"[..14];
        platform.IdentityProvider.AddUser(user, "a long password");
        using var provider = await platform.CreateSignedInClientAsync(user, "a long password", TestContext.Current.CancellationToken);
        using var other = await platform.CreateUserClientAsync($"dev-{Guid.NewGuid():N}"[..14], TestContext.Current.CancellationToken);

        using var created = await provider.PostAsJsonAsync("/api/tasks", new { title = "Only mine" }, TestContext.Current.CancellationToken);
        var mine = await provider.GetStringAsync("/api/tasks", TestContext.Current.CancellationToken);
        var theirs = await other.GetStringAsync("/api/tasks", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("Only mine", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("Only mine", theirs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorCommand_ReconcileMemory_RunsAgainstMemorySync()
    {
        // What an operator clicks on the dashboard: the AppHost calls memory-sync's admin route with an admin token.
        var result = await platform.ExecuteCommandAsync("memory-sync-api", "reconcile-memory", TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Message);
    }
}
