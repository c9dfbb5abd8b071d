namespace LettaPlatform.Gateway.Tests;

public sealed class RouteTableTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("/api/chat/sessions", "chat-api")]
    [InlineData("/api/chat/sessions/42/messages", "chat-api")]
    [InlineData("/api/agents", "agent-management-api")]
    [InlineData("/api/agents/7", "agent-management-api")]
    [InlineData("/api/templates", "agent-management-api")]
    [InlineData("/api/projects", "agent-management-api")]
    [InlineData("/api/projects/5", "agent-management-api")]
    [InlineData("/api/memory/projects/p1/blocks/project_context/history", "memory-sync-api")]
    [InlineData("/api/tools", "tool-execution-api")]
    [InlineData("/api/tasks/3", "tool-execution-api")]
    [InlineData("/api/tool-executions", "tool-execution-api")]
    [InlineData("/api/integrations/github", "tool-execution-api")]
    [InlineData("/api/memory/agents/a1/blocks/human", "memory-sync-api")]
    public async Task Request_ForPathPrefix_ReachesItsServiceWithPathAndToken(string path, string service)
    {
        using var client = fixture.Gateway.CreateClientFor("alice");

        var answer = await client.GetFromJsonAsync<BackendAnswer>(path, TestContext.Current.CancellationToken);

        Assert.NotNull(answer);
        Assert.Equal(service, answer.Service);
        Assert.Equal(path, answer.Path);
        Assert.True(answer.HadBearerToken);
    }

    [Fact]
    public async Task Request_ForUnknownApiPath_IsNotProxied()
    {
        using var client = fixture.Gateway.CreateClientFor("alice");

        using var response = await client.GetAsync("/api/chatter", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Request_WithoutToken_Returns401()
    {
        using var client = fixture.Gateway.CreateClient();

        using var response = await client.GetAsync("/api/agents", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Request_WithTokenSignedByOtherKey_Returns401()
    {
        using var client = fixture.Gateway.CreateClient();
        var forged = new ServiceDefaults.Auth.DevTokenIssuer("some-other-signing-key-0123456789abcdef").CreateToken("alice");
        client.DefaultRequestHeaders.Authorization = new("Bearer", forged.AccessToken);

        using var response = await client.GetAsync("/api/agents", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Request_WithBodyOverLimit_IsRejectedWith413()
    {
        using var client = fixture.Gateway.CreateClientFor("alice");
        using var body = new ByteArrayContent(new byte[2 * 1024 * 1024]);

        using var response = await client.PostAsync("/api/tasks", body, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task HealthAliveAndRoot_WithoutToken_AreServed()
    {
        using var client = fixture.Gateway.CreateClient();
        var cancellationToken = TestContext.Current.CancellationToken;

        using var health = await client.GetAsync("/health", cancellationToken);
        using var alive = await client.GetAsync("/alive", cancellationToken);
        using var root = await client.GetAsync("/", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        Assert.Contains("LettaPlatform", await root.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
    }
}
