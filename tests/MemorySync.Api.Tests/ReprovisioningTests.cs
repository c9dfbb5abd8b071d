using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.Chat;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Letta;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.MemorySync.Api.Tests;

/// <summary>
/// Letta lost an agent and agent-management re-creates it the way it does: it asks for the agent's memory
/// (<see cref="ReadAgentMemory"/>), creates the new Letta agent with it and announces <see cref="AgentMigrated"/>
/// naming the versions it used. The platform re-creating an agent is not the agent editing its memory.
/// </summary>
[Collection(MemorySyncCollection.Name)]
public sealed class ReprovisioningTests(MemorySyncFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    [Fact]
    public async Task ReadAgentMemory_AfterEdits_AnswersTheLatestVersionOfEveryBlockToItsOwnerOnly()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}", instance: "flaky");
        using var client = Host.CreateClient(agent.UserId);
        (await client.PutBlockAsync(agent, "persona", "Persona, edited once.", "\"1\"")).EnsureSuccessStatusCode();
        await fixture.Flaky.FailNextAsync(100);
        try
        {
            // Not pushed yet, but it is what the person wrote last: a re-created agent must start with it.
            Assert.Equal("pending", (await (await client.PutBlockAsync(agent, "human", "Alice, still pending.", "\"1\"")).ReadAsync<Block>()).SyncState);
        }
        finally
        {
            await fixture.Flaky.FailNextAsync(0);
        }

        var memory = await ReadMemoryAsync(agent.Id, agent.UserId);
        var stranger = await ReadMemoryAsync(agent.Id, "someone-else");
        var unknown = await ReadMemoryAsync(Guid.NewGuid(), agent.UserId);

        Assert.True(memory.Known);
        Assert.Equal([("human", "Alice, still pending.", 500, 2), ("persona", "Persona, edited once.", 2000, 2)],
            memory.Blocks.Select(b => (b.Label, b.Value, b.Limit, b.Version)));
        Assert.Equal((false, 0), (stranger.Known, stranger.Blocks.Count));
        Assert.Equal((false, 0), (unknown.Known, unknown.Blocks.Count));
    }

    [Fact]
    public async Task ReadAgentMemory_WithHistory_AnswersEveryStoredVersionForArchivingAndNoneWithoutIt()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        (await client.PutBlockAsync(agent, "persona", "Persona, edited once.", "\"1\"")).EnsureSuccessStatusCode();
        (await client.PutBlockAsync(agent, "persona", "Persona, edited twice.", "\"2\"")).EnsureSuccessStatusCode();

        var requests = Host.Bus.CreateRequestClient<ReadAgentMemory>(new Uri($"queue:{Host.ReadAgentMemoryQueue}"), RequestTimeout.After(s: 30));
        var withHistory = (await requests.GetResponse<AgentMemoryRead>(new ReadAgentMemory { AgentId = agent.Id, UserId = agent.UserId, IncludeHistory = true }, Ct)).Message;
        var stranger = (await requests.GetResponse<AgentMemoryRead>(new ReadAgentMemory { AgentId = agent.Id, UserId = "someone-else", IncludeHistory = true }, Ct)).Message;

        var persona = withHistory.History.Where(v => v.Label == "persona").ToList();
        Assert.Equal([1, 2, 3], persona.Select(v => v.Version));
        Assert.Equal(["Persona, edited once.", "Persona, edited twice."], persona.Skip(1).Select(v => v.Value));
        Assert.All(persona.Skip(1), v => Assert.Equal("user", v.Author));
        Assert.Contains(withHistory.History, v => v.Label == "human");
        Assert.Empty((await ReadMemoryAsync(agent.Id, agent.UserId)).History);
        Assert.Equal((false, 0), (stranger.Known, stranger.History.Count));
    }

    [Fact]
    public async Task AgentMigrated_RecreatedWithTheCurrentMemory_TakesItOnWithoutPushingOrWritingVersions()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}", instance: "flaky");
        using var client = Host.CreateClient(agent.UserId);
        (await client.PutBlockAsync(agent, "persona", "I am Ada, as the person wrote me.", "\"1\"")).EnsureSuccessStatusCode();
        var memory = await ReadMemoryAsync(agent.Id, agent.UserId);
        var replacement = await RecreateAsync(agent, memory);

        // Letta refuses every call now: memory-sync has nothing to push, since the new agent already holds its memory.
        await fixture.Flaky.FailNextAsync(1000);
        List<Model.MemoryBlock> blocks;
        try
        {
            await PublishMigratedAsync(agent, replacement, memory);
            blocks = await Eventually.TrueAsync(() => BlocksAsync(agent), taken => taken.All(b => b.LettaValue == b.Value && b.LastSyncedAt >= replacement.CreatedAt)
                || taken.Any(b => b.SyncState != "synced"));
        }
        finally
        {
            await fixture.Flaky.FailNextAsync(0);
        }

        Assert.All(blocks, b => Assert.Equal(("synced", null), (b.SyncState, b.LastPushError)));
        Assert.Equal([("human", 1), ("persona", 2)], blocks.Select(b => (b.Label, b.CurrentVersion)));

        // The first turn's blocks, as memory-sync reads them afterwards, are what it recorded: no agent version.
        await Host.Bus.Publish(TurnCompleted(agent, replacement.LettaAgentId), Ct);
        await Task.Delay(1000, Ct);
        var history = await client.GetHistoryAsync(agent, "persona");
        Assert.Equal([(2, "user"), (1, "system")], history.Select(v => (v.Version, v.Author)));
        Assert.Single(await client.GetHistoryAsync(agent, "human"));
    }

    [Fact]
    public async Task AgentMigrated_EditedWhileTheAgentWasRecreated_PushesOnlyTheLaterEdit()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        var memory = await ReadMemoryAsync(agent.Id, agent.UserId);
        var letta = Host.Letta(agent.Instance);
        await letta.DeleteAgentAsync(agent.LettaAgentId, Ct);

        // The person edits while agent-management creates the new agent from the memory it has just read.
        Assert.Equal("pending", (await (await client.PutBlockAsync(agent, "human", "Alice moved to the platform team.", "\"1\"")).ReadAsync<Block>()).SyncState);
        var replacement = await RecreateAsync(agent, memory, deleteOld: false);
        await PublishMigratedAsync(agent, replacement, memory);

        await Eventually.TrueAsync(async () => (await letta.GetAgentBlockAsync(replacement.LettaAgentId, "human", Ct)).Value, v => v == "Alice moved to the platform team.");
        var human = await Eventually.TrueAsync(() => client.GetBlockAsync(agent, "human"), b => b.SyncState == "synced");
        Assert.Equal((2, "user"), (human.Version, human.UpdatedBy));
        Assert.Equal(TestAgent.Persona, (await letta.GetAgentBlockAsync(replacement.LettaAgentId, "persona", Ct)).Value);
        Assert.Equal(["user", "system"], (await client.GetHistoryAsync(agent, "human")).Select(v => v.Author));
    }

    [Fact]
    public async Task AgentMigrated_AgentEditedTheRecreatedAgentFirst_KeepsTheEditAsTheAgentsVersion()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        var memory = await ReadMemoryAsync(agent.Id, agent.UserId);
        var replacement = await RecreateAsync(agent, memory);
        var letta = Host.Letta(agent.Instance);

        // The first turn on the new agent ran (and changed its memory) before memory-sync heard of the new agent.
        await letta.ModifyAgentBlockAsync(replacement.LettaAgentId, "human", new BlockUpdate { Value = "Alice said she deploys on Fridays." }, Ct);
        await PublishMigratedAsync(agent, replacement, memory);
        await Eventually.TrueAsync(() => BlocksAsync(agent), blocks => blocks.All(b => b.LastSyncedAt >= replacement.CreatedAt));
        await Host.Bus.Publish(TurnCompleted(agent, replacement.LettaAgentId), Ct);

        var history = await Eventually.TrueAsync(() => client.GetHistoryAsync(agent, "human"), h => h.Count == 2);
        Assert.Equal(("agent", "turn", "Alice said she deploys on Fridays."), (history[0].Author, history[0].Reason, history[0].Value));
        Assert.Equal("Alice said she deploys on Fridays.", (await letta.GetAgentBlockAsync(replacement.LettaAgentId, "human", Ct)).Value);
    }

    private async Task<AgentMemoryRead> ReadMemoryAsync(Guid agentId, string userId)
    {
        var client = Host.Bus.CreateRequestClient<ReadAgentMemory>(new Uri($"queue:{Host.ReadAgentMemoryQueue}"), RequestTimeout.After(s: 30));
        return (await client.GetResponse<AgentMemoryRead>(new ReadAgentMemory { AgentId = agentId, UserId = userId }, Ct)).Message;
    }

    /// <summary>What agent-management does once Letta lost the agent: a new Letta agent holding the memory it read.</summary>
    private async Task<Replacement> RecreateAsync(TestAgent agent, AgentMemoryRead memory, bool deleteOld = true)
    {
        var letta = Host.Letta(agent.Instance);
        if (deleteOld)
        {
            await letta.DeleteAgentAsync(agent.LettaAgentId, Ct);
        }

        var createdAt = DateTimeOffset.UtcNow;
        var created = await letta.CreateAgentAsync(TestAgent.CreateRequest(500) with
        {
            MemoryBlocks = [.. memory.Blocks.Select(b => new CreateBlockRequest { Label = b.Label, Value = b.Value, Limit = b.Limit })],
        }, Ct);
        return new Replacement(created.Id, createdAt);
    }

    private Task PublishMigratedAsync(TestAgent agent, Replacement replacement, AgentMemoryRead memory) =>
        Host.Bus.Publish(new AgentMigrated
        {
            AgentId = agent.Id,
            UserId = agent.UserId,
            FromLettaInstance = agent.Instance,
            FromLettaAgentId = agent.LettaAgentId,
            ToLettaInstance = agent.Instance,
            ToLettaAgentId = replacement.LettaAgentId,
            Reason = "reprovisioned",
            MigratedAt = DateTimeOffset.UtcNow,
            CreatedWithMemory = [.. memory.Blocks.Select(b => new MemoryBlockVersion { Label = b.Label, Version = b.Version })],
        }, Ct);

    private Task<List<Model.MemoryBlock>> BlocksAsync(TestAgent agent) =>
        Host.QueryAsync(db => db.Blocks.AsNoTracking().Where(b => b.AgentId == agent.Id).OrderBy(b => b.Label).ToListAsync(Ct));

    private static ChatTurnCompleted TurnCompleted(TestAgent agent, string lettaAgentId) => new()
    {
        TurnId = Guid.NewGuid(),
        SessionId = Guid.NewGuid(),
        UserId = agent.UserId,
        AgentId = agent.Id,
        LettaInstance = agent.Instance,
        LettaAgentId = lettaAgentId,
        RunIds = [],
        Outcome = "completed",
        MemoryToolCallIds = [$"call-{Guid.NewGuid():N}"],
        CompletedAt = DateTimeOffset.UtcNow,
    };

    private sealed record Replacement(string LettaAgentId, DateTimeOffset CreatedAt);
}
