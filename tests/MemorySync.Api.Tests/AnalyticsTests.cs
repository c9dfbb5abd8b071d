using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.Letta;

namespace LettaPlatform.MemorySync.Api.Tests;

[Collection(MemorySyncCollection.Name)]
public sealed class AnalyticsTests(MemorySyncFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    [Fact]
    public async Task Health_AfterUnrecordedAgentEdit_ShowsSizesEditorsAndDrift()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}", humanLimit: 100);
        using var client = Host.CreateClient(agent.UserId);
        (await client.PutBlockAsync(agent, "persona", "I review code.", "\"1\"")).EnsureSuccessStatusCode();
        await Host.Letta("letta").ModifyAgentBlockAsync(agent.LettaAgentId, "human", new BlockUpdate { Value = "Changed in Letta, not yet recorded." }, Ct);

        var health = await (await client.GetAsync($"/api/memory/agents/{agent.Id}/health", Ct)).ReadAsync<AgentHealth>();

        Assert.True(health.LettaReachable);
        Assert.Equal("ok", health.Letta);
        var human = health.Blocks.Single(b => b.Label == "human");
        var persona = health.Blocks.Single(b => b.Label == "persona");
        Assert.Equal((TestAgent.Human.Length, 100, "system", "drifted"), (human.Size, human.Limit, human.LastEditor, human.Drift));
        Assert.Equal(Math.Round(TestAgent.Human.Length / 100.0, 4), human.ShareOfLimit);
        Assert.Equal(("user", "none", 2), (persona.LastEditor, persona.Drift, persona.Versions));
    }

    [Fact]
    public async Task Health_WhileLettaDown_ReportsDriftUnknown()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}", instance: "flaky");
        using var client = Host.CreateClient(agent.UserId);
        await fixture.Flaky.FailNextAsync(100);
        AgentHealth health;
        try
        {
            health = await (await client.GetAsync($"/api/memory/agents/{agent.Id}/health", Ct)).ReadAsync<AgentHealth>();
        }
        finally
        {
            await fixture.Flaky.FailNextAsync(0);
        }

        Assert.False(health.LettaReachable);
        Assert.Equal("unreachable", health.Letta);
        Assert.All(health.Blocks, b => Assert.Equal(("unknown", "synced"), (b.Drift, b.SyncState)));
    }

    [Fact]
    public async Task Health_LettaUpButAgentLost_SaysAgentMissingNotUnreachable()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        await Host.Letta(agent.Instance).DeleteAgentAsync(agent.LettaAgentId, Ct);

        var health = await (await client.GetAsync($"/api/memory/agents/{agent.Id}/health", Ct)).ReadAsync<AgentHealth>();

        Assert.True(health.LettaReachable);
        Assert.Equal("agent_missing", health.Letta);
        Assert.All(health.Blocks, b => Assert.Equal(("agent_missing", "synced"), (b.Drift, b.SyncState)));
    }

    [Fact]
    public async Task Overview_AsAdmin_ShowsNearLimitBlocksEditsAndUnsyncedAgents()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}", humanLimit: 20);
        using var client = Host.CreateClient(agent.UserId);
        (await client.PutBlockAsync(agent, "human", "nineteen characters", "\"1\"")).EnsureSuccessStatusCode();
        for (var version = 1; version <= 3; version++)
        {
            (await client.PutBlockAsync(agent, "persona", $"persona {version}", $"\"{version}\"")).EnsureSuccessStatusCode();
        }

        using var admin = Host.CreateClient("ops", admin: true);
        var overview = await (await admin.GetAsync("/api/memory/overview?top=200", Ct)).ReadAsync<JsonObject>();

        Assert.Contains(overview["blocksNearLimit"]!.AsArray(), b => (string?)b!["agentId"] == agent.Id.ToString() && (string?)b["label"] == "human" && (double)b["shareOfLimit"]! == 0.95);
        Assert.Contains(overview["mostChangedBlocks"]!.AsArray(), b => (string?)b!["agentId"] == agent.Id.ToString() && (string?)b["label"] == "persona" && (int)b["versions"]! == 4);
        Assert.Contains(overview["editsPerAuthor"]!.AsArray(), e => (string?)e!["author"] == "user" && (int)e["count"]! >= 4);
        Assert.True((int)overview["agents"]! >= 1);
    }

    [Fact]
    public async Task AdminRoutes_AsOrdinaryUser_Answer403()
    {
        using var user = Host.CreateClient($"user-{Guid.NewGuid():N}");

        using var reconcile = await user.PostAsync("/api/memory/reconcile", null, Ct);
        using var overview = await user.GetAsync("/api/memory/overview", Ct);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (reconcile.StatusCode, overview.StatusCode));
    }
}
