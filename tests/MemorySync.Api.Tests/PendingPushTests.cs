namespace LettaPlatform.MemorySync.Api.Tests;

/// <summary>Takes the <c>flaky</c> Letta down, which no other test uses.</summary>
[Collection(MemorySyncCollection.Name)]
public sealed class PendingPushTests(MemorySyncFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    [Fact]
    public async Task Put_WhileLettaDown_StaysPendingThenSyncsWhenLettaReturns()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}", instance: "flaky");
        using var client = Host.CreateClient(agent.UserId);
        await fixture.Flaky.FailNextAsync(100_000);
        try
        {
            var block = await (await client.PutBlockAsync(agent, "human", "Alice is on call this week.", "\"1\"")).ReadAsync<Block>();
            Assert.Equal(("pending", 2, "Alice is on call this week."), (block.SyncState, block.Version, block.Value));

            // The worker keeps retrying while Letta is down; the block must stay pending meanwhile.
            await Task.Delay(1000, Ct);
            Assert.Equal("pending", (await client.GetBlockAsync(agent, "human")).SyncState);
        }
        finally
        {
            await fixture.Flaky.FailNextAsync(0);
        }

        var synced = await Eventually.TrueAsync(() => client.GetBlockAsync(agent, "human"), b => b.SyncState == "synced");
        Assert.Equal(2, synced.Version);
        Assert.Equal("Alice is on call this week.", (await Host.Letta("flaky").GetAgentBlockAsync(agent.LettaAgentId, "human", Ct)).Value);
        Assert.Equal(2, (await client.GetHistoryAsync(agent, "human")).Count);
    }
}
