namespace LettaPlatform.Gateway.Tests;

public sealed class DocsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("chat-api")]
    [InlineData("agent-management-api")]
    [InlineData("tool-execution-api")]
    [InlineData("memory-sync-api")]
    public async Task ServiceDocument_Anonymous_IsProxiedToTheServicesOwnOpenApiDocument(string service)
    {
        using var client = fixture.Gateway.CreateClient();

        var answer = await client.GetFromJsonAsync<BackendAnswer>($"/openapi/{service}.json", TestContext.Current.CancellationToken);

        Assert.NotNull(answer);
        Assert.Equal(service, answer.Service);
        Assert.Equal("/openapi/v1.json", answer.Path);
    }

    [Fact]
    public async Task GatewayDocument_Anonymous_DescribesTheAuthRoutes()
    {
        using var client = fixture.Gateway.CreateClient();

        var document = await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.Contains("/api/auth/dev-token", document!["paths"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task GatewayDocument_ComparedWithDocsOpenApi_IsTheCommittedOne()
    {
        using var client = fixture.Gateway.CreateClient();

        var stale = CommittedOpenApiDocument.Staleness("gateway", "gateway", await CommittedOpenApiDocument.FetchAsync(client));

        Assert.True(stale is null, stale);
    }

    [Fact]
    public async Task GatewayDocument_EveryRoute_HasASummaryAndADescription()
    {
        using var client = fixture.Gateway.CreateClient();

        Assert.Empty(CommittedOpenApiDocument.UndescribedOperations(await CommittedOpenApiDocument.FetchAsync(client)));
    }

    [Fact]
    public async Task Docs_Anonymous_ServesScalarListingEveryDocument()
    {
        using var client = fixture.Gateway.CreateClient();

        using var response = await client.GetAsync("/api/docs/", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        foreach (var service in new[] { "chat-api", "agent-management-api", "tool-execution-api", "memory-sync-api" })
        {
            Assert.Contains($"openapi/{service}.json", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ApiRoute_StillNeedsAToken_WhileDocsAreOpen()
    {
        using var client = fixture.Gateway.CreateClient();

        using var response = await client.GetAsync("/api/chat/sessions", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
