using LettaPlatform.AgentManagement.Api.Tests.TestHost;

namespace LettaPlatform.AgentManagement.Api.Tests;

public sealed class OpenApiDocumentTests(InfrastructureFixture infrastructure, LettaDevServer lettaDev) : SingleInstanceTests(infrastructure, lettaDev)
{
    [Fact]
    public async Task ServedDocument_ComparedWithDocsOpenApi_IsTheCommittedOne()
    {
        using var anonymous = Host.CreateClient();

        var stale = CommittedOpenApiDocument.Staleness("agent-management-api", "services/AgentManagement.Api", await CommittedOpenApiDocument.FetchAsync(anonymous));

        Assert.True(stale is null, stale);
    }

    [Fact]
    public async Task ServedDocument_EveryRoute_HasASummaryAndADescription()
    {
        using var anonymous = Host.CreateClient();

        Assert.Empty(CommittedOpenApiDocument.UndescribedOperations(await CommittedOpenApiDocument.FetchAsync(anonymous)));
    }
}
