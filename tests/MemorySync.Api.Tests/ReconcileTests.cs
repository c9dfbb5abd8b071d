using System.Diagnostics;
using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.MemorySync.Api.Tests;

/// <summary>Each test has its own memory-sync host, database and LettaDev: reconcile looks at every agent, so it must see only its own.</summary>
public sealed class ReconcileTests(InfrastructureFixture infrastructure)
{
    private const int AgentCount = 1000;
    private const string Instance = "bulk";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reconcile_Over1000Agents_FindsExactlyThePlantedDriftAndConflict()
    {
        var total = Stopwatch.StartNew();
        await using var letta = await LettaDevServer.StartAsync();
        await using var host = await MemorySyncHost.StartAsync(infrastructure, "reconcile", new Dictionary<string, LettaDevServer> { [Instance] = letta }, new Dictionary<string, string?>
        {
            ["MemorySync:ReconcileParallelism"] = "16",
            // The planted pending edit must still be pending when reconcile runs.
            ["MemorySync:PushMinRetryDelay"] = "00:10:00",
            ["MemorySync:PushMaxRetryDelay"] = "00:10:00",
        });
        var client = host.Letta(Instance);

        var setup = Stopwatch.StartNew();
        var agents = new TestAgent[AgentCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, AgentCount), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (i, ct) =>
        {
            var state = await client.CreateAgentAsync(TestAgent.CreateRequest(500) with { IncludeBaseTools = false }, ct);
            var agent = new TestAgent(Guid.NewGuid(), $"bulk-user-{i}", Instance, state.Id);
            await using var scope = host.Services.CreateAsyncScope();
            Assert.True(await scope.ServiceProvider.GetRequiredService<AgentDirectory>()
                .RegisterAsync(new AgentRegistration(agent.Id, agent.UserId, Instance, state.Id, "code-assistant"), state.Blocks, ct));
            agents[i] = agent;
        });
        setup.Stop();

        // Drift: the agent changed `human` on every 37th agent and `persona` on some others, straight in Letta.
        var humanDrift = Enumerable.Range(0, AgentCount).Where(i => i % 37 == 0).ToList();
        var personaDrift = Enumerable.Range(0, AgentCount).Where(i => i % 101 == 3).ToList();
        foreach (var i in humanDrift)
        {
            await client.ModifyAgentBlockAsync(agents[i].LettaAgentId, "human", new BlockUpdate { Value = $"{TestAgent.Human} Drift {i}." }, Ct);
        }

        foreach (var i in personaDrift)
        {
            await client.ModifyAgentBlockAsync(agents[i].LettaAgentId, "persona", new BlockUpdate { Value = $"{TestAgent.Persona} Drift {i}." }, Ct);
        }

        // Conflict: a person's edit of agent 1 could not be pushed (Letta down for its two attempts), then the agent edited the block.
        var conflicted = agents[1];
        using var user = host.CreateClient(conflicted.UserId);
        await letta.FailNextAsync(2);
        Assert.Equal("pending", (await (await user.PutBlockAsync(conflicted, "human", "Edited by the person.", "\"1\"")).ReadAsync<Block>()).SyncState);
        await client.ModifyAgentBlockAsync(conflicted.LettaAgentId, "human", new BlockUpdate { Value = "Edited by the agent." }, Ct);

        using var admin = host.CreateClient("ops", admin: true);
        var reconcile = Stopwatch.StartNew();
        var report = await (await admin.PostAsync("/api/memory/reconcile", null, Ct)).ReadAsync<ReconcileResult>();
        reconcile.Stop();
        var again = await (await admin.PostAsync("/api/memory/reconcile", null, Ct)).ReadAsync<ReconcileResult>();

        var expectedAgents = humanDrift.Union(personaDrift).Append(1).Select(i => agents[i].Id).ToHashSet();
        Assert.Equal(AgentCount, report.Agents);
        Assert.Equal(0, report.AgentsFailed);
        Assert.Equal(humanDrift.Count + personaDrift.Count + 1, report.DriftVersions);
        Assert.Equal(1, report.Conflicts);
        Assert.Equal(expectedAgents, report.DriftedAgentIds.ToHashSet());
        Assert.Equal((AgentCount, 0, 0), (again.Agents, again.DriftVersions, again.Conflicts));

        var drifted = agents[humanDrift[1]];
        using var owner = host.CreateClient(drifted.UserId);
        var human = await owner.GetBlockAsync(drifted, "human");
        Assert.Equal((2, "agent", "synced", $"{TestAgent.Human} Drift {humanDrift[1]}."), (human.Version, human.UpdatedBy, human.SyncState, human.Value));
        var conflict = await user.GetBlockAsync(conflicted, "human");
        Assert.Equal(("conflict", "Edited by the person.", "Edited by the agent."), (conflict.SyncState, conflict.Conflict?.UserValue, conflict.Conflict?.AgentValue));

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{AgentCount} agents: setup {setup.Elapsed.TotalSeconds:0.0} s, reconcile {reconcile.Elapsed.TotalSeconds:0.00} s " +
            $"(service-side {report.DurationMs:0} ms, {report.DriftVersions} drift versions, {report.Conflicts} conflict), total {total.Elapsed.TotalSeconds:0.0} s");
        Assert.True(total.Elapsed < TimeSpan.FromSeconds(60), $"The 1,000-agent reconcile test took {total.Elapsed.TotalSeconds:0.0} s.");
    }

    [Fact]
    public async Task Reconcile_AgentsItCannotCompare_ListsEachWithItsReason()
    {
        await using var letta = await LettaDevServer.StartAsync();
        await using var down = await LettaDevServer.StartAsync();
        await using var host = await MemorySyncHost.StartAsync(infrastructure, "reconcile-failures", new Dictionary<string, LettaDevServer> { [Instance] = letta, ["down"] = down });
        var present = await host.ProvisionAgentAsync("user-present", Instance);
        var lost = await host.ProvisionAgentAsync("user-lost", Instance);
        var unreachable = await host.ProvisionAgentAsync("user-unreachable", "down");
        await host.Letta(Instance).DeleteAgentAsync(lost.LettaAgentId, Ct);
        using var admin = host.CreateClient("ops", admin: true);

        ReconcileResult report;
        await down.FailNextAsync(1000);
        try
        {
            report = await (await admin.PostAsync("/api/memory/reconcile", null, Ct)).ReadAsync<ReconcileResult>();
        }
        finally
        {
            await down.FailNextAsync(0);
        }

        Assert.Equal((3, 2, 0), (report.Agents, report.AgentsFailed, report.AgentsDrifted));
        Assert.Equal(
            new[] { (lost.Id, "user-lost", Instance, lost.LettaAgentId, "agent_missing"), (unreachable.Id, "user-unreachable", "down", unreachable.LettaAgentId, "letta_unreachable") }.OrderBy(f => f.Item1),
            report.Failures.Select(f => (f.AgentId, f.UserId, f.LettaInstance, f.LettaAgentId, f.Reason)));
        Assert.All(report.Failures, f => Assert.False(string.IsNullOrWhiteSpace(f.Detail)));
        Assert.DoesNotContain(report.Failures, f => f.AgentId == present.Id);
    }
}
