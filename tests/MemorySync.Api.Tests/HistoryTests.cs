using System.Net;
using System.Net.Http.Json;

namespace LettaPlatform.MemorySync.Api.Tests;

[Collection(MemorySyncCollection.Name)]
public sealed class HistoryTests(MemorySyncFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    [Fact]
    public async Task Diff_BetweenTwoVersions_ListsEqualAddedAndRemovedLines()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        (await client.PutBlockAsync(agent, "human", "name: Alice\nlikes: Rust\nteam: core", "\"1\"")).EnsureSuccessStatusCode();
        (await client.PutBlockAsync(agent, "human", "name: Alice\nlikes: Go\nteam: core\ntz: UTC", "\"2\"")).EnsureSuccessStatusCode();

        var diff = await (await client.GetAsync($"{agent.BlocksPath}/human/diff?from=2&to=3", Ct)).ReadAsync<Diff>();

        Assert.Equal(
            [new("equal", "name: Alice"), new("remove", "likes: Rust"), new("add", "likes: Go"), new("equal", "team: core"), new DiffLine("add", "tz: UTC")],
            diff.Lines);
    }

    [Fact]
    public async Task Diff_WithUnknownVersion_Answers404()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);

        var problem = await (await client.GetAsync($"{agent.BlocksPath}/human/diff?from=1&to=9", Ct)).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("version_not_found", problem.Code);
    }

    [Fact]
    public async Task Rollback_ToEarlierVersion_AddsNewVersionWithItsValueAndPushesIt()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        (await client.PutBlockAsync(agent, "human", "a wrong fact", "\"1\"")).EnsureSuccessStatusCode();

        using var response = await client.PostAsJsonAsync($"{agent.BlocksPath}/human/rollback", new { version = 1 }, Ct);
        var block = await response.ReadAsync<Block>();

        Assert.Equal((3, TestAgent.Human, "synced"), (block.Version, block.Value, block.SyncState));
        Assert.Equal(TestAgent.Human, (await Host.Letta("letta").GetAgentBlockAsync(agent.LettaAgentId, "human", Ct)).Value);
        var history = await client.GetHistoryAsync(agent, "human");
        Assert.Equal([(3, "rollback:1"), (2, "edit"), (1, "provisioned")], history.Select(v => (v.Version, v.Reason)));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"version":0}""")]
    public async Task Rollback_WithoutAVersion_AnswersValidationFailedNamingVersionAndChangesNothing(string body)
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);

        using var response = await client.PostAsync($"{agent.BlocksPath}/human/rollback", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        var block = await client.GetBlockAsync(agent, "human");

        Assert.Equal(("validation_failed", "The request is not valid"), (problem.Code, problem.Title));
        Assert.Equal(["version"], problem.Errors!.Keys);
        Assert.Equal((1, TestAgent.Human), (block.Version, block.Value));
        Assert.Single(await client.GetHistoryAsync(agent, "human"));
    }

    [Fact]
    public async Task History_WithLimit_PagesNewestFirstWithCursor()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        for (var version = 1; version <= 4; version++)
        {
            (await client.PutBlockAsync(agent, "human", $"edit {version}", $"\"{version}\"")).EnsureSuccessStatusCode();
        }

        using var first = await client.GetAsync($"{agent.BlocksPath}/human/history?limit=3", Ct);
        var firstPage = await first.ReadAsync<List<BlockVersionInfo>>();
        var cursor = Assert.Single(first.Headers.GetValues("X-Next-Cursor"));
        using var second = await client.GetAsync($"{agent.BlocksPath}/human/history?limit=3&cursor={Uri.EscapeDataString(cursor)}", Ct);
        var secondPage = await second.ReadAsync<List<BlockVersionInfo>>();

        Assert.Equal([5, 4, 3], firstPage.Select(v => v.Version));
        Assert.Equal([2, 1], secondPage.Select(v => v.Version));
        Assert.False(second.Headers.Contains("X-Next-Cursor"));
    }
}
