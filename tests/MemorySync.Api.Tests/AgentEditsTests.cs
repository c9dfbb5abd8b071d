using LettaPlatform.Contracts.Chat;
using LettaPlatform.Letta;

namespace LettaPlatform.MemorySync.Api.Tests;

[Collection(MemorySyncCollection.Name)]
public sealed class AgentEditsTests(MemorySyncFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    [Fact]
    public async Task ChatTurnCompleted_AfterRememberTurn_RecordsAgentVersionWithProvenance()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        var turn = await SendAsync(agent, "remember that Alice deploys on Fridays");
        var toolCallId = turn.Messages.OfType<ToolCallMessage>().SelectMany(m => m.Calls).Single(c => c.Name == "memory_insert").ToolCallId!;
        var runId = turn.Messages.First().RunId!;
        var sessionId = Guid.NewGuid();

        await Host.Bus.Publish(TurnCompleted(agent, sessionId, runId, toolCallId), Ct);

        using var client = Host.CreateClient(agent.UserId);
        var history = await Eventually.TrueAsync(() => client.GetHistoryAsync(agent, "human"), h => h.Count == 2);
        var edit = history[0];
        Assert.Equal(("agent", "turn"), (edit.Author, edit.Reason));
        Assert.Contains("Alice deploys on Fridays", edit.Value);
        Assert.Equal(new Source(sessionId, runId, toolCallId), edit.Source);

        var block = await client.GetBlockAsync(agent, "human");
        Assert.Equal((2, "agent", "synced"), (block.Version, block.UpdatedBy, block.SyncState));
    }

    [Fact]
    public async Task ChatTurnCompleted_TurnWithoutAMemoryCall_RecordsNothing_ATurnWithOneRecordsTheBlocksAsTheyAre()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        // Changed in Letta outside any memory tool: a turn that made no memory call does not look (the reconcile would).
        await Host.Letta(agent.Instance).ModifyAgentBlockAsync(agent.LettaAgentId, "human", new BlockUpdate { Value = "Changed outside a memory call." }, Ct);

        await Host.Bus.Publish(TurnCompleted(agent, Guid.NewGuid(), $"run-{Guid.NewGuid():N}", toolCallId: null), Ct);
        await Task.Delay(1000, Ct);
        Assert.Single(await client.GetHistoryAsync(agent, "human"));

        await Host.Bus.Publish(TurnCompleted(agent, Guid.NewGuid(), $"run-{Guid.NewGuid():N}", "call-memory-1"), Ct);
        var history = await Eventually.TrueAsync(() => client.GetHistoryAsync(agent, "human"), h => h.Count == 2);
        Assert.Equal(("agent", "Changed outside a memory call."), (history[0].Author, history[0].Value));
    }

    [Fact]
    public async Task ChatTurnCompleted_PublishedTwice_AddsNoSecondVersion()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        var turn = await SendAsync(agent, "remember that Alice reviews every PR");
        var toolCallId = turn.Messages.OfType<ToolCallMessage>().SelectMany(m => m.Calls).Single(c => c.Name == "memory_insert").ToolCallId!;
        var message = TurnCompleted(agent, Guid.NewGuid(), turn.Messages.First().RunId!, toolCallId);

        await Host.Bus.Publish(message, Ct);
        await Host.Bus.Publish(message, Ct);
        using var client = Host.CreateClient(agent.UserId);
        await Eventually.TrueAsync(() => client.GetHistoryAsync(agent, "human"), h => h.Count >= 2);
        await Task.Delay(500, Ct);

        Assert.Equal(2, (await client.GetHistoryAsync(agent, "human")).Count);
    }

    private Task<LettaResponse> SendAsync(TestAgent agent, string text) =>
        Host.Letta(agent.Instance).SendMessageAsync(agent.LettaAgentId, new LettaMessageRequest { Messages = [LettaInput.User(text)] }, Ct);

    private static ChatTurnCompleted TurnCompleted(TestAgent agent, Guid sessionId, string runId, string? toolCallId) => new()
    {
        TurnId = Guid.NewGuid(),
        SessionId = sessionId,
        UserId = agent.UserId,
        AgentId = agent.Id,
        LettaInstance = agent.Instance,
        LettaAgentId = agent.LettaAgentId,
        RunIds = [runId],
        Outcome = "completed",
        MemoryToolCallIds = toolCallId is null ? [] : [toolCallId],
        CompletedAt = DateTimeOffset.UtcNow,
    };
}
