using LettaPlatform.Gateway.Apis;

namespace LettaPlatform.Gateway.Tests;

public sealed class DevTokenTests
{
    [Fact]
    public async Task DevToken_InDevelopment_IssuesTokenTheApiAccepts()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend, "Development");
        using var client = gateway.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/auth/dev-token", new { userId = "alice", displayName = "Alice" }, cancellationToken);
        var token = await response.Content.ReadFromJsonAsync<DevTokenResponse>(cancellationToken);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token!.AccessToken);
        var answer = await client.GetFromJsonAsync<BackendAnswer>("/api/agents", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(token.ExpiresAt > DateTimeOffset.UtcNow);
        Assert.Equal("agent-management-api", answer?.Service);
    }

    [Fact]
    public async Task DevToken_WithRoles_IssuesTokenCarryingThem()
    {
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend, "Development");
        using var client = gateway.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/auth/dev-token", new { userId = "ops", roles = new[] { "admin" } }, TestContext.Current.CancellationToken);
        var token = await response.Content.ReadFromJsonAsync<DevTokenResponse>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var claims = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token!.AccessToken).Claims;
        Assert.Equal(["admin"], claims.Where(claim => claim.Type == "role").Select(claim => claim.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\u0001b")]
    [InlineData("an-overly-long-role-name-that-nobody-would-ever-need-x")]
    public async Task DevToken_UnusableRole_Returns400(string role)
    {
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend, "Development");
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync("/api/auth/dev-token",
            new StringContent($$"""{"userId":"ops","roles":["{{role}}"]}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DevToken_WithoutUserId_Returns400()
    {
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend, "Development");
        using var client = gateway.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/auth/dev-token", new { userId = " " }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    [InlineData("Production", true)]
    [InlineData("Staging", true)]
    public async Task DevToken_OutsideDevelopment_Returns404(string environment, bool asAdmin)
    {
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend, environment);
        using var client = gateway.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/auth/dev-token",
            asAdmin ? new { userId = "alice", roles = new[] { "admin" } } : (object)new { userId = "alice" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("accessToken", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
