using System.Net;
using System.Net.Http.Json;
using LettaPlatform.Letta;

namespace LettaPlatform.MemorySync.Api.Tests;

[Collection(MemorySyncCollection.Name)]
public sealed class ConflictTests(MemorySyncFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    [Fact]
    public async Task Put_AfterUnrecordedAgentEdit_BecomesConflictKeepingBothValues()
    {
        var (agent, client, agentValue) = await CrossEditsAsync("Alice's editor is Helix.");

        var block = await client.GetBlockAsync(agent, "human");
        Assert.Equal("conflict", block.SyncState);
        Assert.NotNull(block.Conflict);
        Assert.Equal("Alice's editor is Helix.", block.Conflict.UserValue);
        Assert.Equal(agentValue, block.Conflict.AgentValue);
        Assert.Equal(agentValue, (await Host.Letta("letta").GetAgentBlockAsync(agent.LettaAgentId, "human", Ct)).Value);

        var history = await client.GetHistoryAsync(agent, "human");
        Assert.Contains(history, v => v.Author == "user" && v.Value == "Alice's editor is Helix.");
        Assert.Contains(history, v => v.Author == "agent" && v.Value == agentValue);

        var blocked = await (await client.PutBlockAsync(agent, "human", "another edit", $"\"{block.Version}\"")).ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("block_in_conflict", blocked.Code);
    }

    [Fact]
    public async Task Resolve_WithMergedValue_PushesItAndClearsTheConflict()
    {
        var (agent, client, agentValue) = await CrossEditsAsync("Alice's editor is Helix.");
        var merged = agentValue + "\nAlice's editor is Helix.";

        using var response = await client.PostAsJsonAsync($"{agent.BlocksPath}/human/resolve", new { keep = "merged", value = merged }, Ct);
        var block = await response.ReadAsync<Block>();

        Assert.Equal(("synced", "user", merged), (block.SyncState, block.UpdatedBy, block.Value));
        Assert.Null(block.Conflict);
        Assert.Equal(merged, (await Host.Letta("letta").GetAgentBlockAsync(agent.LettaAgentId, "human", Ct)).Value);
        var history = await client.GetHistoryAsync(agent, "human");
        Assert.Equal(["user", "agent", "user", "system"], history.Select(v => v.Author));
        Assert.Equal("resolve:merged", history[0].Reason);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("agent")]
    public async Task Resolve_KeepingOneSide_LeavesThatValueInLetta(string keep)
    {
        var (agent, client, agentValue) = await CrossEditsAsync("Alice uses Zed.");

        using var response = await client.PostAsJsonAsync($"{agent.BlocksPath}/human/resolve", new { keep }, Ct);
        var block = await response.ReadAsync<Block>();

        var expected = keep == "user" ? "Alice uses Zed." : agentValue;
        Assert.Equal(("synced", expected), (block.SyncState, block.Value));
        Assert.Equal(expected, (await Host.Letta("letta").GetAgentBlockAsync(agent.LettaAgentId, "human", Ct)).Value);
    }

    [Fact]
    public async Task Resolve_WithoutConflict_Answers409()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);

        using var response = await client.PostAsJsonAsync($"{agent.BlocksPath}/human/resolve", new { keep = "user" }, Ct);

        Assert.Equal("block_not_in_conflict", (await response.ReadProblemAsync(HttpStatusCode.Conflict)).Code);
    }

    /// <summary>The agent remembers something in Letta (no turn event yet), then the person edits version 1.</summary>
    private async Task<(TestAgent Agent, HttpClient Client, string AgentValue)> CrossEditsAsync(string userValue)
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        await Host.Letta("letta").SendMessageAsync(agent.LettaAgentId,
            new LettaMessageRequest { Messages = [LettaInput.User("remember that Alice switched to Neovim")] }, Ct);
        var agentValue = (await Host.Letta("letta").GetAgentBlockAsync(agent.LettaAgentId, "human", Ct)).Value;
        Assert.Contains("Neovim", agentValue);

        var client = Host.CreateClient(agent.UserId);
        var block = await (await client.PutBlockAsync(agent, "human", userValue, "\"1\"")).ReadAsync<Block>();
        Assert.Equal("conflict", block.SyncState);
        return (agent, client, agentValue);
    }
}
