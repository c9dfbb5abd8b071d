namespace LettaPlatform.Chat.Api.Tests;

public sealed class OpenApiDocumentTests(ChatFixture fixture)
{
    [Fact]
    public async Task ServedDocument_ComparedWithDocsOpenApi_IsTheCommittedOne()
    {
        using var anonymous = fixture.Chat.CreateClient();

        var stale = CommittedOpenApiDocument.Staleness("chat-api", "services/Chat.Api", await CommittedOpenApiDocument.FetchAsync(anonymous));

        Assert.True(stale is null, stale);
    }

    [Fact]
    public async Task ServedDocument_EveryRoute_HasASummaryAndADescription()
    {
        using var anonymous = fixture.Chat.CreateClient();

        Assert.Empty(CommittedOpenApiDocument.UndescribedOperations(await CommittedOpenApiDocument.FetchAsync(anonymous)));
    }
}
