using LettaPlatform.ToolExecution.Api.Tests.TestHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

public sealed class OpenApiDocumentTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    [Fact]
    public async Task ServedDocument_ComparedWithDocsOpenApi_IsTheCommittedOne()
    {
        using var anonymous = service.CreateClient();

        var stale = CommittedOpenApiDocument.Staleness("tool-execution-api", "services/ToolExecution.Api", await CommittedOpenApiDocument.FetchAsync(anonymous));

        Assert.True(stale is null, stale);
    }

    [Fact]
    public async Task ServedDocument_EveryRoute_HasASummaryAndADescription()
    {
        using var anonymous = service.CreateClient();

        Assert.Empty(CommittedOpenApiDocument.UndescribedOperations(await CommittedOpenApiDocument.FetchAsync(anonymous)));
    }
}
