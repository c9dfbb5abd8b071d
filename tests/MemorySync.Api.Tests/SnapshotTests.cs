using System.Net;
using LettaPlatform.Contracts.AgentManagement;

namespace LettaPlatform.MemorySync.Api.Tests;

[Collection(MemorySyncCollection.Name)]
public sealed class SnapshotTests(MemorySyncFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    [Fact]
    public async Task Restore_AfterLaterEdits_BringsBlocksBackAsNewSystemVersionsInLetta()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        (await client.PutBlockAsync(agent, "human", "Alice, before the reorg.", "\"1\"")).EnsureSuccessStatusCode();

        var snapshot = await (await client.PostAsync($"/api/memory/agents/{agent.Id}/snapshots", null, Ct)).ReadAsync<SnapshotInfo>(HttpStatusCode.Created);
        (await client.PutBlockAsync(agent, "human", "Alice, after the reorg.", "\"2\"")).EnsureSuccessStatusCode();

        var restored = await (await client.PostAsync($"/api/memory/agents/{agent.Id}/snapshots/{snapshot.Id}/restore", null, Ct)).ReadAsync<Restored>();

        Assert.True(snapshot.HasAgentFile);
        Assert.Equal([("human", "Alice, before the reorg.", 2), ("persona", TestAgent.Persona, 1)], snapshot.Blocks.Select(b => (b.Label, b.Value, b.Version)));
        var human = restored.Blocks.Single(b => b.Label == "human");
        Assert.Equal((4, "Alice, before the reorg.", "system", "synced"), (human.Version, human.Value, human.UpdatedBy, human.SyncState));
        Assert.Equal(1, restored.Blocks.Single(b => b.Label == "persona").Version);
        Assert.Equal("Alice, before the reorg.", (await Host.Letta("letta").GetAgentBlockAsync(agent.LettaAgentId, "human", Ct)).Value);
        Assert.StartsWith("restore:", (await client.GetHistoryAsync(agent, "human"))[0].Reason);
    }

    [Fact]
    public async Task Snapshots_BeyondRetention_KeepOnlyTheNewest()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        var taken = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            taken.Add((await (await client.PostAsync($"/api/memory/agents/{agent.Id}/snapshots", null, Ct)).ReadAsync<SnapshotInfo>(HttpStatusCode.Created)).Id);
        }

        var kept = await (await client.GetAsync($"/api/memory/agents/{agent.Id}/snapshots", Ct)).ReadAsync<List<SnapshotInfo>>();

        Assert.Equal(taken.AsEnumerable().Reverse().Take(MemorySyncFixture.SnapshotRetention), kept.Select(s => s.Id));
    }

    [Fact]
    public async Task AgentMigrated_ToReprovisionedAgent_RestoresLatestMemoryOntoIt()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        (await client.PutBlockAsync(agent, "human", "Alice prefers short answers.", "\"1\"")).EnsureSuccessStatusCode();

        // Letta lost the agent; agent-management re-created it from the template (default memory).
        var letta = Host.Letta("letta");
        await letta.DeleteAgentAsync(agent.LettaAgentId, Ct);
        var replacement = await letta.CreateAgentAsync(TestAgent.CreateRequest(500), Ct);
        await Host.Bus.Publish(new AgentMigrated
        {
            AgentId = agent.Id,
            UserId = agent.UserId,
            FromLettaInstance = "letta",
            FromLettaAgentId = agent.LettaAgentId,
            ToLettaInstance = "letta",
            ToLettaAgentId = replacement.Id,
            Reason = "reprovisioned",
            MigratedAt = DateTimeOffset.UtcNow,
        }, Ct);

        await Eventually.TrueAsync(async () => (await letta.GetAgentBlockAsync(replacement.Id, "human", Ct)).Value, v => v == "Alice prefers short answers.");
        var block = await client.GetBlockAsync(agent, "human");
        Assert.Equal((2, "synced"), (block.Version, block.SyncState));
        Assert.Equal(TestAgent.Persona, (await letta.GetAgentBlockAsync(replacement.Id, "persona", Ct)).Value);

        (await client.PutBlockAsync(agent, "human", "Alice prefers detailed answers.", "\"2\"")).EnsureSuccessStatusCode();
        Assert.Equal("Alice prefers detailed answers.", (await letta.GetAgentBlockAsync(replacement.Id, "human", Ct)).Value);
    }
}
