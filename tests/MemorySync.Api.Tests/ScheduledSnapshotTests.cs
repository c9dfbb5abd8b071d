namespace LettaPlatform.MemorySync.Api.Tests;

/// <summary>Its own host, with a one-second snapshot schedule the shared host must not have.</summary>
public sealed class ScheduledSnapshotTests(InfrastructureFixture infrastructure)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Schedule_WithShortInterval_TakesSnapshotsAndKeepsOnlyTheRetainedOnes()
    {
        await using var letta = await LettaDevServer.StartAsync();
        await using var host = await MemorySyncHost.StartAsync(infrastructure, "scheduled", new Dictionary<string, LettaDevServer> { ["scheduled"] = letta }, new Dictionary<string, string?>
        {
            ["MemorySync:SnapshotInterval"] = "00:00:01",
            ["MemorySync:SnapshotRetention"] = "2",
        });
        var agent = await host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}", instance: "scheduled");
        using var client = host.CreateClient(agent.UserId);
        var first = await Eventually.TrueAsync(
            async () => await (await client.GetAsync($"/api/memory/agents/{agent.Id}/snapshots", Ct)).ReadAsync<List<SnapshotInfo>>(),
            list => list.Count >= 1);

        var later = await Eventually.TrueAsync(
            async () => await (await client.GetAsync($"/api/memory/agents/{agent.Id}/snapshots", Ct)).ReadAsync<List<SnapshotInfo>>(),
            list => list.Count == 2 && list.All(s => s.Id != first[^1].Id),
            TimeSpan.FromSeconds(30));

        Assert.All(later, s => Assert.Equal("scheduled", s.Trigger));
        Assert.All(later, s => Assert.Equal(["human", "persona"], s.Blocks.Select(b => b.Label)));
    }
}
