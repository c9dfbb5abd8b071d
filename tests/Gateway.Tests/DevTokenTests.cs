using LettaPlatform.Gateway.Apis;

namespace LettaPlatform.Gateway.Tests;

public sealed class DevTokenTests
{
    [Fact]
    public async Task DevToken_InDevelopment_IssuesTokenTheApiAccepts()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayFactory(backend, "Development");
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
    public async Task DevToken_WithoutUserId_Returns400()
    {
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayFactory(backend, "Development");
        using var client = gateway.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/auth/dev-token", new { userId = " " }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task DevToken_OutsideDevelopment_Returns404(string environment)
    {
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayFactory(backend, environment);
        using var client = gateway.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/auth/dev-token", new { userId = "alice" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
