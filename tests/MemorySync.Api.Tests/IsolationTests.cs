using System.Net;
using System.Net.Http.Json;
using LettaPlatform.Contracts.AgentManagement;

namespace LettaPlatform.MemorySync.Api.Tests;

[Collection(MemorySyncCollection.Name)]
public sealed class IsolationTests(MemorySyncFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    [Fact]
    public async Task EveryRoute_ForAnotherUsersAgent_Answers404AndChangesNothing()
    {
        var agent = await Host.ProvisionAgentAsync($"alice-{Guid.NewGuid():N}");
        using var owner = Host.CreateClient(agent.UserId);
        var snapshot = await (await owner.PostAsync($"/api/memory/agents/{agent.Id}/snapshots", null, Ct)).ReadAsync<SnapshotInfo>(HttpStatusCode.Created);
        using var other = Host.CreateClient($"bob-{Guid.NewGuid():N}");

        foreach (var request in Requests(agent, snapshot.Id))
        {
            using var response = await other.SendAsync(request, Ct);
            var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal("agent_not_found", problem.Code);
            Assert.DoesNotContain(TestAgent.Human, problem.Detail ?? "");
        }

        Assert.Single(await owner.GetHistoryAsync(agent, "human"));
        Assert.Single(await (await owner.GetAsync($"/api/memory/agents/{agent.Id}/snapshots", Ct)).ReadAsync<List<SnapshotInfo>>());
        Assert.Equal(TestAgent.Human, (await Host.Letta("letta").GetAgentBlockAsync(agent.LettaAgentId, "human", Ct)).Value);
    }

    [Fact]
    public async Task AgentDeleted_ForOwnAgent_MakesItsRoutesAnswer404()
    {
        var agent = await Host.ProvisionAgentAsync($"alice-{Guid.NewGuid():N}");
        using var owner = Host.CreateClient(agent.UserId);

        await Host.Bus.Publish(new AgentDeleted
        {
            AgentId = agent.Id,
            UserId = agent.UserId,
            LettaInstance = agent.Instance,
            LettaAgentId = agent.LettaAgentId,
            DeletedAt = DateTimeOffset.UtcNow,
        }, Ct);

        await Eventually.TrueAsync(async () => (await owner.GetAsync(agent.BlocksPath, Ct)).StatusCode, status => status == HttpStatusCode.NotFound);
        using var put = await owner.PutBlockAsync(agent, "human", "after deletion", "\"1\"");
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task Blocks_OfUnknownAgent_Answers404()
    {
        using var client = Host.CreateClient($"carol-{Guid.NewGuid():N}");

        using var response = await client.GetAsync($"/api/memory/agents/{Guid.NewGuid()}/blocks", Ct);

        Assert.Equal("agent_not_found", (await response.ReadProblemAsync(HttpStatusCode.NotFound)).Code);
    }

    [Fact]
    public async Task Blocks_OfAgentOnlyAgentManagementKnows_AreResolvedAndRecordedForItsOwnerOnly()
    {
        var state = await Host.Letta("letta").CreateAgentAsync(TestAgent.CreateRequest(500), Ct);
        var agent = new TestAgent(Guid.NewGuid(), $"dave-{Guid.NewGuid():N}", "letta", state.Id);
        fixture.AgentManagement.Know(agent);
        using var stranger = Host.CreateClient($"eve-{Guid.NewGuid():N}");
        using var owner = Host.CreateClient(agent.UserId);

        using var strangerResponse = await stranger.GetAsync(agent.BlocksPath, Ct);
        var blocks = await (await owner.GetAsync(agent.BlocksPath, Ct)).ReadAsync<List<Block>>();

        Assert.Equal("agent_not_found", (await strangerResponse.ReadProblemAsync(HttpStatusCode.NotFound)).Code);
        Assert.Equal([("human", TestAgent.Human, 1, "system"), ("persona", TestAgent.Persona, 1, "system")], blocks.Select(b => (b.Label, b.Value, b.Version, b.UpdatedBy)));
        using var strangerAgain = await stranger.GetAsync(agent.BlocksPath, Ct);
        Assert.Equal(HttpStatusCode.NotFound, strangerAgain.StatusCode);
    }

    [Fact]
    public async Task Blocks_WithoutToken_Answers401()
    {
        var agent = await Host.ProvisionAgentAsync($"alice-{Guid.NewGuid():N}");
        using var anonymous = Host.CreateClient("ignored");
        anonymous.DefaultRequestHeaders.Authorization = null;

        using var response = await anonymous.GetAsync(agent.BlocksPath, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_Anonymous_DescribesTheMemoryRoutes()
    {
        using var anonymous = Host.CreateClient("ignored");
        anonymous.DefaultRequestHeaders.Authorization = null;

        var document = await (await anonymous.GetAsync("/openapi/v1.json", Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Contains("/api/memory/agents/{agentId}/blocks/{label}/resolve", document);
        Assert.Contains("ReconcileMemory", document);
    }

    private static IEnumerable<HttpRequestMessage> Requests(TestAgent agent, Guid snapshotId)
    {
        var root = $"/api/memory/agents/{agent.Id}";
        yield return new(HttpMethod.Get, $"{root}/blocks");
        yield return new(HttpMethod.Get, $"{root}/blocks/human");
        var put = new HttpRequestMessage(HttpMethod.Put, $"{root}/blocks/human") { Content = JsonContent.Create(new { value = "hijacked" }) };
        put.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        yield return put;
        yield return new(HttpMethod.Get, $"{root}/blocks/human/history");
        yield return new(HttpMethod.Get, $"{root}/blocks/human/diff?from=1&to=1");
        yield return new(HttpMethod.Post, $"{root}/blocks/human/rollback") { Content = JsonContent.Create(new { version = 1 }) };
        yield return new(HttpMethod.Post, $"{root}/blocks/human/resolve") { Content = JsonContent.Create(new { keep = "user" }) };
        yield return new(HttpMethod.Get, $"{root}/health");
        yield return new(HttpMethod.Post, $"{root}/snapshots");
        yield return new(HttpMethod.Get, $"{root}/snapshots");
        yield return new(HttpMethod.Get, $"{root}/snapshots/{snapshotId}");
        yield return new(HttpMethod.Post, $"{root}/snapshots/{snapshotId}/restore");
    }
}
