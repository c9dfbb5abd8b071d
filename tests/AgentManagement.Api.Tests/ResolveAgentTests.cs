using System.Text.Json;
using LettaPlatform.AgentManagement.Api.Tests.TestHost;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Letta;
using MassTransit;

namespace LettaPlatform.AgentManagement.Api.Tests;

public sealed class ResolveAgentTests(InfrastructureFixture infrastructure, LettaDevServer lettaDev) : SingleInstanceTests(infrastructure, lettaDev)
{
    private async Task<AgentResolved> ResolvedAsync(ResolveAgent request)
    {
        var response = await Host.ResolveAsync(request);
        Assert.True(response.Is(out Response<AgentResolved>? resolved), $"Expected AgentResolved, got {response.Message}");
        return resolved!.Message;
    }

    private async Task<AgentNotFound> NotFoundAsync(ResolveAgent request)
    {
        var response = await Host.ResolveAsync(request);
        Assert.True(response.Is(out Response<AgentNotFound>? notFound), $"Expected AgentNotFound, got {response.Message}");
        return notFound!.Message;
    }

    [Fact]
    public async Task ResolveAgent_100ParallelFirstRequests_ProvisionExactlyOneLettaAgent()
    {
        var user = NewUser();

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "code-assistant", ProjectId = "api" })));

        Assert.Single(answers.Select(a => a.AgentId).Distinct());
        Assert.Single(answers.Select(a => a.LettaAgentId).Distinct());
        var lettaAgents = await Host.Letta(Instance).ListAgentsAsync(new ListAgentsQuery { Tags = [$"user:{user}"], Limit = 1000 }, CancellationToken);
        Assert.Equal(answers[0].LettaAgentId, Assert.Single(lettaAgents).Id);
        Assert.Equal("api", answers[0].ProjectId);
        Assert.Contains(answers[0].Tools, t => t is { Name: "create_pull_request", RequiresApproval: true });
        Assert.Contains(answers[0].Tools, t => t is { Name: "query_tasks", RequiresApproval: false });
    }

    [Fact]
    public async Task ResolveAgent_ResolvedBefore_IsAnsweredFromTheCacheWithoutDatabaseOrLetta()
    {
        var user = NewUser();
        var first = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "task-manager" });
        using var lookups = new CacheLookups(Host.Metrics);

        // Letta losing the agent goes unnoticed on the hot path: only the cache is consulted.
        await Host.Letta(Instance).DeleteAgentAsync(first.LettaAgentId, CancellationToken);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(first, await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = first.AgentId }) with { Tools = first.Tools });
            Assert.Equal(first.LettaAgentId, (await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "task-manager" })).LettaAgentId);
        }

        Assert.Equal(10, lookups.Hits);
        Assert.Equal(0, lookups.Misses);
    }

    [Fact]
    public async Task ResolveAgent_LettaAgentMissingWithNoMemoryYet_ReprovisionsFromTheTemplateAndPublishesAgentMigrated()
    {
        var user = NewUser();
        var first = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "documentation" });
        await Host.Letta(Instance).DeleteAgentAsync(first.LettaAgentId, CancellationToken);

        var reprovisioned = await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = first.AgentId, LettaAgentMissing = true });

        Assert.Equal(first.AgentId, reprovisioned.AgentId);
        Assert.NotEqual(first.LettaAgentId, reprovisioned.LettaAgentId);
        var recreated = await Host.Letta(Instance).GetAgentAsync(reprovisioned.LettaAgentId, cancellationToken: CancellationToken);
        Assert.Contains($"user:{user}", recreated.Tags);
        Assert.Contains(recreated.Blocks, b => b.Label == "project_context");
        var migrated = (await Host.OutboxBodiesAsync<AgentMigrated>())
            .Select(body => JsonSerializer.Deserialize<AgentMigrated>(body, JsonSerializerOptions.Web)!)
            .Single(m => m.AgentId == first.AgentId);
        Assert.Equal(("reprovisioned", first.LettaAgentId, reprovisioned.LettaAgentId), (migrated.Reason, migrated.FromLettaAgentId, migrated.ToLettaAgentId));
        Assert.Null(migrated.CreatedWithMemory);

        // The cache now holds the new agent, under both keys.
        Assert.Equal(reprovisioned.LettaAgentId, (await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = first.AgentId })).LettaAgentId);
        Assert.Equal(reprovisioned.LettaAgentId, (await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "documentation" })).LettaAgentId);
    }

    [Fact]
    public async Task ResolveAgent_LettaAgentMissing_RecreatesTheAgentWithTheCurrentMemoryBeforeAnswering()
    {
        var user = NewUser();
        var first = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "code-assistant", ProjectId = "memory" });
        Host.MemorySync.Remember(first.AgentId,
            new AgentMemoryBlock { Label = "human", Value = "Sam, backend lead; prefers terse answers.", Limit = 5000, Version = 2 },
            new AgentMemoryBlock { Label = "persona", Value = "I am Ada, the person's own edit of the persona.", Limit = 4000, Version = 3 },
            new AgentMemoryBlock { Label = "scratch", Value = "A block the agent added itself.", Limit = 2000, Version = 1 });
        await Host.Letta(Instance).DeleteAgentAsync(first.LettaAgentId, CancellationToken);

        var reprovisioned = await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = first.AgentId, LettaAgentMissing = true });

        // By the time the caller hears of the new agent, it already holds the person's memory, not the template's.
        var blocks = (await Host.Letta(Instance).ListAgentBlocksAsync(reprovisioned.LettaAgentId, CancellationToken)).ToDictionary(b => b.Label!);
        Assert.Equal(("I am Ada, the person's own edit of the persona.", 4000), (blocks["persona"].Value, blocks["persona"].Limit));
        Assert.Equal("Sam, backend lead; prefers terse answers.", blocks["human"].Value);
        Assert.Equal(("A block the agent added itself.", 2000), (blocks["scratch"].Value, blocks["scratch"].Limit));
        Assert.StartsWith("No preferences recorded yet.", blocks["preferences"].Value);
        Assert.Equal(user, Assert.Single(Host.MemorySync.Requests, r => r.AgentId == first.AgentId).UserId);

        // memory-sync learns which of its versions Letta now holds, so it has nothing to push or to record.
        var migrated = (await Host.OutboxBodiesAsync<AgentMigrated>())
            .Select(body => JsonSerializer.Deserialize<AgentMigrated>(body, JsonSerializerOptions.Web)!)
            .Single(m => m.AgentId == first.AgentId);
        Assert.Equal([("human", 2), ("persona", 3), ("scratch", 1)], migrated.CreatedWithMemory!.Select(b => (b.Label, b.Version)).Order());
    }

    [Fact]
    public async Task ResolveAgent_LettaAgentMissingAndMemorySyncSilent_FaultsWithoutRecreatingTheAgentFromItsTemplate()
    {
        var user = NewUser();
        var first = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "task-manager", ProjectId = "silent" });
        Host.MemorySync.Remember(first.AgentId, new AgentMemoryBlock { Label = "persona", Value = "Edited by the person.", Limit = 5000, Version = 2 });
        await Host.Letta(Instance).DeleteAgentAsync(first.LettaAgentId, CancellationToken);
        Host.MemorySync.Silent = true;

        var fault = await Assert.ThrowsAsync<RequestFaultException>(() =>
            Host.ResolveAsync(new ResolveAgent { UserId = user, AgentId = first.AgentId, LettaAgentMissing = true }));

        Assert.Contains("memory-sync did not answer", fault.Message);
        Assert.Empty(await Host.Letta(Instance).ListAgentsAsync(new ListAgentsQuery { Tags = [$"user:{user}"], Limit = 10 }, CancellationToken));
        Assert.DoesNotContain(await Host.OutboxBodiesAsync<AgentMigrated>(), body => body.Contains(first.AgentId.ToString()));

        // Once memory-sync answers again, the next turn's request re-creates the agent with the person's memory.
        Host.MemorySync.Silent = false;
        var reprovisioned = await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = first.AgentId, LettaAgentMissing = true });
        Assert.Equal("Edited by the person.", (await Host.Letta(Instance).GetAgentBlockAsync(reprovisioned.LettaAgentId, "persona", CancellationToken)).Value);
    }

    [Fact]
    public async Task ResolveAgent_LettaAgentMissingWhileLettaFails_AnswersRuntimeUnavailableAndChangesNothing()
    {
        var user = NewUser();
        var first = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "task-manager", ProjectId = "outage" });
        Host.Faults.FailWhen = request => request.RequestUri!.AbsolutePath.Contains(first.LettaAgentId, StringComparison.Ordinal);
        Response<AgentResolved, AgentNotFound, AgentRuntimeUnavailable> response;
        try
        {
            response = await Host.ResolveAsync(new ResolveAgent { UserId = user, AgentId = first.AgentId, LettaAgentMissing = true });
        }
        finally
        {
            Host.Faults.FailWhen = null;
        }

        // Answering the stored mapping would send the turn straight back to an agent Letta said it does not have.
        Assert.True(response.Is(out Response<AgentRuntimeUnavailable>? unavailable), $"Expected AgentRuntimeUnavailable, got {response.Message}");
        Assert.Equal((user, first.AgentId), (unavailable!.Message.UserId, unavailable.Message.AgentId));
        Assert.DoesNotContain(await Host.OutboxBodiesAsync<AgentMigrated>(), body => body.Contains(first.AgentId.ToString()));
        var again = await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = first.AgentId, LettaAgentMissing = true });
        Assert.Equal(first.LettaAgentId, again.LettaAgentId);
    }

    [Fact]
    public async Task ResolveAgent_LettaAgentMissingButPresent_KeepsTheAgentAndPublishesNothing()
    {
        var user = NewUser();
        var first = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "task-manager", ProjectId = "keep" });

        var again = await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = first.AgentId, LettaAgentMissing = true });

        Assert.Equal(first.LettaAgentId, again.LettaAgentId);
        Assert.DoesNotContain((await Host.OutboxBodiesAsync<AgentMigrated>()), body => body.Contains(first.AgentId.ToString()));
    }

    [Fact]
    public async Task ResolveAgent_AnotherUsersAgentId_AnswersAgentNotFoundEvenWhenCached()
    {
        var owner = await ResolvedAsync(new ResolveAgent { UserId = NewUser(), TemplateId = "code-assistant" });

        var answer = await NotFoundAsync(new ResolveAgent { UserId = "intruder", AgentId = owner.AgentId });
        var refreshed = await NotFoundAsync(new ResolveAgent { UserId = "intruder", AgentId = owner.AgentId, LettaAgentMissing = true });

        Assert.Equal(("not_found", owner.AgentId), (answer.Reason, answer.AgentId));
        Assert.Equal("not_found", refreshed.Reason);
    }

    [Fact]
    public async Task ResolveAgent_UnknownTemplateOrEmptyRequest_AnswersAgentNotFoundWithReason()
    {
        var user = NewUser();

        var unknown = await NotFoundAsync(new ResolveAgent { UserId = user, TemplateId = "astrologer" });
        var empty = await NotFoundAsync(new ResolveAgent { UserId = user });
        var missing = await NotFoundAsync(new ResolveAgent { UserId = user, AgentId = Guid.NewGuid() });

        Assert.Equal(["unknown_template", "invalid_request", "not_found"], new[] { unknown.Reason, empty.Reason, missing.Reason });
    }
}
