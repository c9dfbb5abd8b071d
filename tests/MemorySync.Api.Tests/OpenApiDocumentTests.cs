namespace LettaPlatform.MemorySync.Api.Tests;

[Collection(MemorySyncCollection.Name)]
public sealed class OpenApiDocumentTests(MemorySyncFixture fixture)
{
    [Fact]
    public async Task ServedDocument_ComparedWithDocsOpenApi_IsTheCommittedOne()
    {
        using var anonymous = Anonymous();

        var stale = CommittedOpenApiDocument.Staleness("memory-sync-api", "services/MemorySync.Api", await CommittedOpenApiDocument.FetchAsync(anonymous));

        Assert.True(stale is null, stale);
    }

    [Fact]
    public async Task ServedDocument_EveryRoute_HasASummaryAndADescription()
    {
        using var anonymous = Anonymous();

        Assert.Empty(CommittedOpenApiDocument.UndescribedOperations(await CommittedOpenApiDocument.FetchAsync(anonymous)));
    }

    private HttpClient Anonymous()
    {
        var client = fixture.Host.CreateClient("ignored");
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }
}
