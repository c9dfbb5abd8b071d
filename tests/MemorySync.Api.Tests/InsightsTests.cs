using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using LettaPlatform.Contracts.Chat;
using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.MemorySync.Api.Tests;

[Collection(MemorySyncCollection.Name)]
public sealed class InsightsTests(MemorySyncFixture fixture)
{
    // TestAgent.Human ("The user's name is Alice.", 25 characters) is 83% of 30: near the limit (0.8 by default).
    private const int TightLimit = 30;
    private const string AgentsHuman = "Alice; likes Go and Fridays.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    [Fact]
    public async Task Insights_AgentEditUndoneByPerson_CountsWhoChangedEachBlockAndSaysWhatToDo()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}", humanLimit: TightLimit);
        using var client = Host.CreateClient(agent.UserId);
        await AgentEditsAsync(agent, "human", AgentsHuman, expectedVersions: 2);
        (await client.PutBlockAsync(agent, "human", TestAgent.Human, "\"2\"")).EnsureSuccessStatusCode();
        (await client.PutBlockAsync(agent, "persona", "I review Go code.", "\"1\"")).EnsureSuccessStatusCode();

        var insights = await (await client.GetAsync($"/api/memory/agents/{agent.Id}/insights", Ct)).ReadAsync<AgentInsights>();

        Assert.Equal((agent.Id, "code-assistant"), (insights.AgentId, insights.TemplateId));
        var human = insights.Blocks.Single(b => b.Label == "human");
        Assert.Equal((new Changes(1, 1, 0, 0, 1), 1, 25, TightLimit, "user"), (human.Changes, human.RevertedAgentEdits, human.Size, human.Limit, human.LastChangedBy));
        var persona = insights.Blocks.Single(b => b.Label == "persona");
        Assert.Equal((new Changes(0, 1, 0, 0, 1), 0), (persona.Changes, persona.RevertedAgentEdits));
        var reverted = Assert.Single(insights.Insights, i => i.Kind == "reverted_edits");
        Assert.Equal(("human", "warning"), (reverted.Label, reverted.Severity));
        Assert.Contains("1 edit the agent made to human was undone", reverted.Message);
        Assert.Contains("tell it in the chat", reverted.Action);
        var full = Assert.Single(insights.Insights, i => i.Kind == "near_limit");
        Assert.Equal("The human block is at 83% of its limit (25 of 30 characters).", full.Message);
        Assert.DoesNotContain(insights.Insights, i => i.Label == "persona");
    }

    [Fact]
    public async Task Insights_RollbackOfAgentEdit_CountsAsRollbackAndRevert()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        await AgentEditsAsync(agent, "persona", "I am a hasty assistant.", expectedVersions: 2);
        (await client.PostAsJsonAsync($"{agent.BlocksPath}/persona/rollback", new { version = 1 }, Ct)).EnsureSuccessStatusCode();

        var insights = await (await client.GetAsync($"/api/memory/agents/{agent.Id}/insights?days=1", Ct)).ReadAsync<AgentInsights>();

        var persona = insights.Blocks.Single(b => b.Label == "persona");
        Assert.Equal((new Changes(1, 0, 1, 0, 1), 1), (persona.Changes, persona.RevertedAgentEdits));
        Assert.Contains(insights.Insights, i => i.Kind == "reverted_edits" && i.Label == "persona");
        Assert.DoesNotContain(insights.Insights, i => i.Kind == "near_limit");
    }

    [Fact]
    public async Task Insights_PersonEditsAfterAgentWithNewValue_IsNoRevert()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        await AgentEditsAsync(agent, "human", AgentsHuman, expectedVersions: 2);
        (await client.PutBlockAsync(agent, "human", AgentsHuman + " Uses vim.", "\"2\"")).EnsureSuccessStatusCode();

        var insights = await (await client.GetAsync($"/api/memory/agents/{agent.Id}/insights", Ct)).ReadAsync<AgentInsights>();

        Assert.Equal((new Changes(1, 1, 0, 0, 1), 0), (insights.Blocks.Single(b => b.Label == "human").Changes, insights.Blocks.Single(b => b.Label == "human").RevertedAgentEdits));
        Assert.Empty(insights.Insights);
    }

    [Fact]
    public async Task Insights_OtherPersonsAgentOrBadPeriod_Answers404Or400AndTemplateAnalyticsIsForAdmins()
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var stranger = Host.CreateClient($"user-{Guid.NewGuid():N}");
        using var owner = Host.CreateClient(agent.UserId);

        var notYours = await (await stranger.GetAsync($"/api/memory/agents/{agent.Id}/insights", Ct)).ReadProblemAsync(HttpStatusCode.NotFound);
        var tooLong = await (await owner.GetAsync($"/api/memory/agents/{agent.Id}/insights?days=366", Ct)).ReadProblemAsync(HttpStatusCode.BadRequest);
        var none = await (await owner.GetAsync($"/api/memory/agents/{agent.Id}/insights?days=0", Ct)).ReadProblemAsync(HttpStatusCode.BadRequest);
        using var analytics = await owner.GetAsync("/api/memory/analytics", Ct);

        Assert.Equal("agent_not_found", notYours.Code);
        Assert.Contains("days", tooLong.Errors!.Keys);
        Assert.Contains("days", none.Errors!.Keys);
        Assert.Equal(HttpStatusCode.Forbidden, analytics.StatusCode);
    }

    [Fact]
    public async Task Analytics_AsAdmin_SumsATemplatesBlocksAndSuggestsWhatToChange()
    {
        var template = $"template-{Guid.NewGuid():N}";
        await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}", humanLimit: TightLimit, templateId: template);
        var roomy = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}", templateId: template);
        await AgentEditsAsync(roomy, "human", AgentsHuman, expectedVersions: 2);
        using (var owner = Host.CreateClient(roomy.UserId))
        {
            (await owner.PutBlockAsync(roomy, "human", TestAgent.Human, "\"2\"")).EnsureSuccessStatusCode();
        }

        using var admin = Host.CreateClient("ops", admin: true);
        var analytics = await (await admin.GetAsync("/api/memory/analytics?days=7", Ct)).ReadAsync<MemoryAnalytics>();

        var mine = Assert.Single(analytics.Templates, t => t.TemplateId == template);
        Assert.Equal(2, mine.Agents);
        var human = mine.Blocks.Single(b => b.Label == "human");
        Assert.Equal((2, 1, new Changes(1, 1, 0, 0, 2), 1), (human.Blocks, human.NearLimit, human.Changes, human.RevertedAgentEdits));
        Assert.Equal(Math.Round(25.0 / TightLimit, 4), human.MaxShareOfLimit);
        Assert.Contains(mine.Insights, i => i.Kind == "near_limit" && i.Label == "human" && i.Message.StartsWith("1 of 2 human blocks is at 80%", StringComparison.Ordinal));
        Assert.Contains(mine.Insights, i => i.Kind == "reverted_edits" && i.Label == "human" && i.Message.Contains("undid 1 of the agents' 1 edit", StringComparison.Ordinal));
        Assert.Equal(2, mine.Blocks.Single(b => b.Label == "persona").Blocks);
    }

    [Fact]
    public async Task Meter_AgentEditThenUndo_CountsVersionsByKindFillAndTheRevert()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)>();
        var factory = Host.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this host's meter: the other hosts of the test run share the meter name.
            if (instrument.Meter.Name == MemorySyncMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, Tags(tags))));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, Tags(tags))));
        listener.Start();
        var template = $"template-{Guid.NewGuid():N}";

        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}", humanLimit: 50, templateId: template);
        await AgentEditsAsync(agent, "human", AgentsHuman, expectedVersions: 2);
        using var client = Host.CreateClient(agent.UserId);
        (await client.PutBlockAsync(agent, "human", TestAgent.Human, "\"2\"")).EnsureSuccessStatusCode();

        var mine = measurements.Where(m => m.Tags.GetValueOrDefault("template") == template).ToList();
        Assert.Equal(2, mine.Count(m => m.Instrument == "memory_sync.block_versions" && m.Tags["kind"] == "platform"));
        Assert.Single(mine, m => m.Instrument == "memory_sync.block_versions" && m.Tags["kind"] == "agent" && m.Tags["label"] == "human");
        Assert.Single(mine, m => m.Instrument == "memory_sync.block_versions" && m.Tags["kind"] == "user" && m.Tags["label"] == "human");
        Assert.Single(mine, m => m.Instrument == "memory_sync.agent_edits_reverted" && m.Tags["label"] == "human" && m.Value == 1);
        Assert.Contains(mine, m => m.Instrument == "memory_sync.block_fill" && m.Tags["label"] == "human" && m.Value == AgentsHuman.Length / 50.0);
    }

    private static Dictionary<string, string?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value?.ToString();
        }

        return result;
    }

    /// <summary>The agent changes a block in Letta during a turn; memory-sync records it when the turn completes.</summary>
    private async Task AgentEditsAsync(TestAgent agent, string label, string value, int expectedVersions)
    {
        await Host.Letta(agent.Instance).ModifyAgentBlockAsync(agent.LettaAgentId, label, new BlockUpdate { Value = value }, Ct);
        await Host.Bus.Publish(new ChatTurnCompleted
        {
            TurnId = Guid.NewGuid(),
            SessionId = Guid.NewGuid(),
            UserId = agent.UserId,
            AgentId = agent.Id,
            LettaInstance = agent.Instance,
            LettaAgentId = agent.LettaAgentId,
            RunIds = [$"run-{Guid.NewGuid():N}"],
            Outcome = "completed",
            MemoryToolCallIds = [$"call-{Guid.NewGuid():N}"],
            CompletedAt = DateTimeOffset.UtcNow,
        }, Ct);
        using var client = Host.CreateClient(agent.UserId);
        await Eventually.TrueAsync(() => client.GetHistoryAsync(agent, label), history => history.Count == expectedVersions);
    }
}
