using System.Net;
using System.Text.Json;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.AgentManagement.Api.Services;
using LettaPlatform.AgentManagement.Api.Tests.TestHost;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Letta;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.AgentManagement.Api.Tests;

public sealed class ArchiveTests(InfrastructureFixture infrastructure, LettaDevServer lettaDev) : SingleInstanceTests(infrastructure, lettaDev)
{
    private static readonly DateTimeOffset Written = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ArchiveThenUse_RestoresTheAgentWithIdenticalBlocksAndMessageHistory()
    {
        var user = NewUser();
        var agent = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "code-assistant" });
        var letta = Host.Letta(Instance);
        await letta.ModifyAgentBlockAsync(agent.LettaAgentId, "human", new BlockUpdate { Value = "Sam, backend lead; prefers terse answers." }, CancellationToken);
        await letta.SendMessageAsync(agent.LettaAgentId, new LettaMessageRequest { Messages = [LettaInput.User("Remember that our release is on Friday.")] }, CancellationToken);
        await letta.SendMessageAsync(agent.LettaAgentId, new LettaMessageRequest { Messages = [LettaInput.User("What did I tell you?")] }, CancellationToken);
        var blocksBefore = await BlocksAsync(agent.LettaAgentId);
        var messagesBefore = await MessagesAsync(agent.LettaAgentId);
        RememberMemory(agent.AgentId, blocksBefore);

        var archived = await Host.ClientFor(user).PostObjectAsync($"/api/agents/{agent.AgentId}/archive", null, HttpStatusCode.OK);

        Assert.Equal("archived", archived["status"]!.GetValue<string>());
        Assert.Null(archived["lettaAgentId"]);
        Assert.NotNull(archived["archivedAt"]);
        var footprint = archived["footprint"]!;
        Assert.True(footprint["agentFileBytes"]!.GetValue<long>() > 1000);
        Assert.Equal(blocksBefore.Count, footprint["blocks"]!.GetValue<int>());
        Assert.True(footprint["messages"]!.GetValue<int>() >= 4, footprint.ToJsonString());
        await Assert.ThrowsAsync<LettaNotFoundException>(() => letta.GetAgentAsync(agent.LettaAgentId, cancellationToken: CancellationToken));
        Assert.Empty(await letta.ListAgentsAsync(new ListAgentsQuery { Tags = [$"user:{user}"] }, CancellationToken));

        // The snapshot holds every version memory-sync kept, not only the latest.
        var snapshot = await Host.WithDbAsync(db => db.Archives.SingleAsync(a => a.AgentId == agent.AgentId));
        var memory = JsonSerializer.Deserialize<AgentMemoryRead>(snapshot.Memory, JsonSerializerOptions.Web)!;
        Assert.Equal(
            [("human", 1, "The person's name and role are not known yet."), ("human", 2, "Sam, backend lead; prefers terse answers.")],
            memory.History.Where(v => v.Label == "human").Select(v => (v.Label, v.Version, v.Value)));
        Assert.Equal("archived", (await Host.ClientFor(user).GetObjectAsync($"/api/agents/{agent.AgentId}"))["status"]!.GetValue<string>());

        var restored = await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = agent.AgentId });

        Assert.NotEqual(agent.LettaAgentId, restored.LettaAgentId);
        Assert.Equal(blocksBefore, await BlocksAsync(restored.LettaAgentId));
        Assert.Equal(messagesBefore, await MessagesAsync(restored.LettaAgentId));
        Assert.Equal("active", (await Host.ClientFor(user).GetObjectAsync($"/api/agents/{agent.AgentId}"))["status"]!.GetValue<string>());
        var migrated = (await Host.OutboxBodiesAsync<AgentMigrated>())
            .Select(body => JsonSerializer.Deserialize<AgentMigrated>(body, JsonSerializerOptions.Web)!)
            .Single(m => m.AgentId == agent.AgentId);
        Assert.Equal(("restored", agent.LettaAgentId, restored.LettaAgentId), (migrated.Reason, migrated.FromLettaAgentId, migrated.ToLettaAgentId));
        Assert.Equal(blocksBefore.Keys.Order(), migrated.CreatedWithMemory!.Select(b => b.Label).Order());
    }

    [Fact]
    public async Task Archive_RedisRefusesTheCacheEviction_TheArchiveStandsAndTheEvictionIsRetried()
    {
        await using var relay = TcpRelay.InFrontOfRedis(Infrastructure.RedisConnectionString);
        await using var host = await AgentManagementHost.StartAsync(Infrastructure, new Dictionary<string, Uri> { [Instance] = LettaDev.Endpoint },
            new Dictionary<string, string?> { ["ConnectionStrings:redis"] = relay.RedisConnectionString });
        var user = NewUser();
        var resolved = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "code-assistant" }, host);
        var agentId = resolved.AgentId;
        RememberMemory(agentId, await BlocksAsync(resolved.LettaAgentId), host);
        Assert.NotNull(await CachedAsync(host, agentId));
        var retries = host.Services.GetRequiredService<CacheEvictionRetries>();

        relay.Cut();
        var archived = await host.ClientFor(user).PostObjectAsync($"/api/agents/{agentId}/archive", null, HttpStatusCode.OK);
        var waiting = retries.Pending;
        relay.Restore();

        Assert.Equal("archived", archived["status"]!.GetValue<string>());
        Assert.True(waiting > 0, "no eviction was waiting for Redis: the cut did not reach the eviction");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (retries.Pending > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, CancellationToken);
        }

        Assert.Equal(0, retries.Pending);
        Assert.Null(await CachedAsync(host, agentId));
        Assert.Equal("archived", (await host.ClientFor(user).GetObjectAsync($"/api/agents/{agentId}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Restore_MemoryEditedWhileArchived_TheRestoredAgentHoldsMemorySyncsLatestVersion()
    {
        var user = NewUser();
        var agent = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "task-manager" });
        var blocks = await BlocksAsync(agent.LettaAgentId);
        RememberMemory(agent.AgentId, blocks);
        await Host.ClientFor(user).PostObjectAsync($"/api/agents/{agent.AgentId}/archive", null, HttpStatusCode.OK);

        // The person edits their agent's memory in the memory panel while it is archived: memory-sync records version 2.
        Host.MemorySync.Remember(agent.AgentId, [.. blocks.Select(b => new AgentMemoryBlock
        {
            Label = b.Key, Value = b.Key == "human" ? "Edited while archived." : b.Value.Value, Limit = b.Value.Limit ?? 5000, Version = b.Key == "human" ? 2 : 1,
        })]);
        var restored = await Host.ClientFor(user).PostObjectAsync($"/api/agents/{agent.AgentId}/restore", null, HttpStatusCode.OK);

        Assert.Equal("active", restored["status"]!.GetValue<string>());
        var after = await BlocksAsync(restored["lettaAgentId"]!.GetValue<string>());
        Assert.Equal("Edited while archived.", after["human"].Value);
        Assert.Equal(blocks.Where(b => b.Key != "human"), after.Where(b => b.Key != "human"));
    }

    [Theory]
    [InlineData(ArchiveHooks.Snapshotting, null, true)]
    [InlineData(ArchiveHooks.Verified, "verified", true)]
    [InlineData(ArchiveHooks.Deleting, "deleting", true)]
    [InlineData(ArchiveHooks.Deleted, "deleting", false)]
    public async Task Archive_CrashAtAStep_AFreshWorkerResumesItAndNothingIsLost(string crashAt, string? stepAfterCrash, bool lettaAgentLeft)
    {
        var user = NewUser();
        var agent = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "documentation" });
        var blocksBefore = await BlocksAsync(agent.LettaAgentId);
        RememberMemory(agent.AgentId, blocksBefore);
        Host.ArchiveCrashes.CrashAt = crashAt;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => WithArchiverAsync(async archiver =>
        {
            Assert.True(await archiver.TryStartAsync(agent.AgentId, idleBefore: null, CancellationToken));
            return await archiver.ContinueAsync(agent.AgentId, CancellationToken);
        }));

        var crashed = await Host.WithDbAsync(db => db.AgentConfigs.AsNoTracking().SingleAsync(a => a.Id == agent.AgentId));
        Assert.Equal((AgentStatus.Archiving, stepAfterCrash ?? "snapshotting"), (crashed.Status, crashed.ArchiveStep.ToString()!.ToLowerInvariant()));
        Assert.Equal(stepAfterCrash is null ? 0 : 1, await Host.WithDbAsync(db => db.Archives.CountAsync(a => a.AgentId == agent.AgentId)));
        Assert.Equal(lettaAgentLeft, await ExistsInLettaAsync(agent.LettaAgentId));

        Host.ArchiveCrashes.CrashAt = null;
        var worker = ActivatorUtilities.CreateInstance<ArchiveWorker>(Host.Services);
        Assert.Equal(1, await worker.RunOnceAsync(CancellationToken));

        var archived = await Host.WithDbAsync(db => db.AgentConfigs.AsNoTracking().SingleAsync(a => a.Id == agent.AgentId));
        Assert.Equal((AgentStatus.Archived, (ArchiveStep?)null), (archived.Status, archived.ArchiveStep));
        Assert.Equal(1, await Host.WithDbAsync(db => db.Archives.CountAsync(a => a.AgentId == agent.AgentId)));
        Assert.False(await ExistsInLettaAsync(agent.LettaAgentId));
        Assert.Empty(await Host.Letta(Instance).ListAgentsAsync(new ListAgentsQuery { Tags = [$"archive-check:{agent.AgentId:N}"] }, CancellationToken));

        var restored = await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = agent.AgentId });
        Assert.Equal(blocksBefore, await BlocksAsync(restored.LettaAgentId));
    }

    [Fact]
    public async Task Restore_CrashBeforeItCommits_LeavesTheAgentRestoringAndTheNextUseRestoresItOnce()
    {
        var user = NewUser();
        var agent = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "task-manager", ProjectId = "crash" });
        var blocksBefore = await BlocksAsync(agent.LettaAgentId);
        await Host.ClientFor(user).PostObjectAsync($"/api/agents/{agent.AgentId}/archive", null, HttpStatusCode.OK);
        Host.ArchiveCrashes.CrashAt = ArchiveHooks.Restored;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => WithRestorerAsync(restorer => restorer.RestoreAsync(agent.AgentId, CancellationToken)));

        Assert.Equal("restoring", (await Host.ClientFor(user).GetObjectAsync($"/api/agents/{agent.AgentId}"))["status"]!.GetValue<string>());
        Host.ArchiveCrashes.CrashAt = null;
        var restored = await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = agent.AgentId });

        Assert.Equal(restored.LettaAgentId, Assert.Single(await Host.Letta(Instance).ListAgentsAsync(new ListAgentsQuery { Tags = [$"user:{user}"] }, CancellationToken)).Id);
        Assert.Equal(blocksBefore, await BlocksAsync(restored.LettaAgentId));
    }

    [Fact]
    public async Task Use_WhileArchivingBeforeAnythingIsDeleted_StopsTheArchivingAndKeepsTheSameLettaAgent()
    {
        var user = NewUser();
        var agent = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "code-assistant", ProjectId = "busy" });
        Host.ArchiveCrashes.CrashAt = ArchiveHooks.Verified;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => WithArchiverAsync(async archiver =>
        {
            await archiver.TryStartAsync(agent.AgentId, idleBefore: null, CancellationToken);
            return await archiver.ContinueAsync(agent.AgentId, CancellationToken);
        }));
        Host.ArchiveCrashes.CrashAt = null;

        var resolved = await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = agent.AgentId });

        Assert.Equal(agent.LettaAgentId, resolved.LettaAgentId);
        var row = await Host.WithDbAsync(db => db.AgentConfigs.AsNoTracking().SingleAsync(a => a.Id == agent.AgentId));
        Assert.Equal((AgentStatus.Active, (ArchiveStep?)null), (row.Status, row.ArchiveStep));
        Assert.Equal(0, await ActivatorUtilities.CreateInstance<ArchiveWorker>(Host.Services).RunOnceAsync(CancellationToken));
        Assert.True(await ExistsInLettaAsync(agent.LettaAgentId));
    }

    [Fact]
    public async Task Resolution_RecordsTheAgentsUse_AtMostOncePerIntervalFromTheCache()
    {
        var user = NewUser();
        var agent = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "task-manager" });
        async Task<DateTimeOffset> LastActiveAsync() =>
            await Host.WithDbAsync(db => db.AgentConfigs.AsNoTracking().Where(a => a.Id == agent.AgentId).Select(a => a.LastActiveAt).SingleAsync(CancellationToken));
        Task MakeIdleAsync() => Host.WithDbAsync(db => db.AgentConfigs.Where(a => a.Id == agent.AgentId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.LastActiveAt, DateTimeOffset.UtcNow.AddMinutes(-11)), CancellationToken));

        // A service resolving the agent (from agent-management's cache) is what tells archiving it is in use.
        await MakeIdleAsync();
        var before = DateTimeOffset.UtcNow;
        Assert.Equal(agent.AgentId, (await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = agent.AgentId })).AgentId);
        Assert.InRange(await LastActiveAsync(), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(0, await ActivatorUtilities.CreateInstance<ArchiveWorker>(Host.Services).RunOnceAsync(CancellationToken));

        // Within the interval (here a tenth of the 10 minutes idle limit) another cached resolution writes nothing.
        await MakeIdleAsync();
        await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = agent.AgentId });
        await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "task-manager" });
        Assert.True(await LastActiveAsync() < DateTimeOffset.UtcNow.AddMinutes(-10));

        // Another person's resolution of the agent records nothing either.
        Assert.Equal("not_found", (await Host.ResolveAsync(new ResolveAgent { UserId = NewUser(), AgentId = agent.AgentId })).Message switch
        {
            AgentNotFound notFound => notFound.Reason,
            var other => other.ToString(),
        });
        Assert.True(await LastActiveAsync() < DateTimeOffset.UtcNow.AddMinutes(-10));
    }

    [Fact]
    public async Task Worker_ArchivesOnlyAgentsIdleLongerThanTheOption()
    {
        var idleUser = NewUser();
        var busyUser = NewUser();
        var idle = await ResolvedAsync(new ResolveAgent { UserId = idleUser, TemplateId = "task-manager" });
        var busy = await ResolvedAsync(new ResolveAgent { UserId = busyUser, TemplateId = "task-manager" });
        await Host.WithDbAsync(db => db.AgentConfigs.Where(a => a.Id == idle.AgentId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.LastActiveAt, DateTimeOffset.UtcNow.AddMinutes(-11)), CancellationToken));

        Assert.Equal(1, await ActivatorUtilities.CreateInstance<ArchiveWorker>(Host.Services).RunOnceAsync(CancellationToken));

        Assert.Equal("archived", (await Host.ClientFor(idleUser).GetObjectAsync($"/api/agents/{idle.AgentId}"))["status"]!.GetValue<string>());
        Assert.Equal("active", (await Host.ClientFor(busyUser).GetObjectAsync($"/api/agents/{busy.AgentId}"))["status"]!.GetValue<string>());
        Assert.True(await ExistsInLettaAsync(busy.LettaAgentId));
    }

    [Fact]
    public async Task ArchiveAndRestore_AnotherUsersAgent_Answer404ToANonAdminAndChangeNothing()
    {
        var owner = NewUser();
        var agent = await ResolvedAsync(new ResolveAgent { UserId = owner, TemplateId = "documentation", ProjectId = "private" });
        var stranger = Host.ClientFor(NewUser());

        await stranger.ProblemAsync(HttpMethod.Post, $"/api/agents/{agent.AgentId}/archive", null, HttpStatusCode.NotFound);
        await stranger.ProblemAsync(HttpMethod.Post, $"/api/agents/{agent.AgentId}/restore", null, HttpStatusCode.NotFound);
        await stranger.ProblemAsync(HttpMethod.Get, $"/api/agents/{agent.AgentId}/archive", null, HttpStatusCode.NotFound);
        Assert.Equal("active", (await Host.ClientFor(owner).GetObjectAsync($"/api/agents/{agent.AgentId}"))["status"]!.GetValue<string>());
        Assert.True(await ExistsInLettaAsync(agent.LettaAgentId));

        // An operator may archive anyone's agent; its owner sees it archived, with the footprint freed.
        var archived = await Host.ClientFor("operator", admin: true).PostObjectAsync($"/api/agents/{agent.AgentId}/archive", null, HttpStatusCode.OK);
        Assert.Equal("archived", archived["status"]!.GetValue<string>());
        var seen = await Host.ClientFor(owner).GetObjectAsync($"/api/agents/{agent.AgentId}/archive");
        Assert.Equal(archived["footprint"]!.ToJsonString(), seen["footprint"]!.ToJsonString());
        await stranger.ProblemAsync(HttpMethod.Post, $"/api/agents/{agent.AgentId}/restore", null, HttpStatusCode.NotFound);
        Assert.Equal("archived", (await Host.ClientFor(owner).GetObjectAsync($"/api/agents/{agent.AgentId}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ArchiveRoutes_BadInput_Answer4xx()
    {
        var client = Host.ClientFor(NewUser());

        await client.ProblemAsync(HttpMethod.Post, $"/api/agents/{Guid.NewGuid()}/archive", null, HttpStatusCode.NotFound);
        await client.ProblemAsync(HttpMethod.Post, $"/api/agents/{Guid.NewGuid()}/restore", null, HttpStatusCode.NotFound);
        using var notAnId = await client.PostAsync("/api/agents/not-an-id/archive", null, CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, notAnId.StatusCode);
        using var anonymous = await Host.CreateClient().PostAsync($"/api/agents/{Guid.NewGuid()}/archive", null, CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private void RememberMemory(Guid agentId, IReadOnlyDictionary<string, (string Value, int? Limit)> blocks, AgentManagementHost? host = null)
    {
        host ??= Host;
        host.MemorySync.Remember(agentId, [.. blocks.Select(b => new AgentMemoryBlock { Label = b.Key, Value = b.Value.Value, Limit = b.Value.Limit ?? 5000, Version = b.Key == "human" ? 2 : 1 })]);
        host.MemorySync.RememberHistory(agentId,
        [
            new AgentMemoryBlockVersion { Label = "human", Version = 1, Value = "The person's name and role are not known yet.", Author = "system", CreatedAt = Written },
            new AgentMemoryBlockVersion { Label = "human", Version = 2, Value = "Sam, backend lead; prefers terse answers.", Author = "user", CreatedAt = Written.AddDays(1) },
        ]);
    }

    private static async Task<AgentResolved?> CachedAsync(AgentManagementHost host, Guid agentId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AgentCache>().GetByIdAsync(agentId, CancellationToken);
    }

    private async Task<AgentResolved> ResolvedAsync(ResolveAgent request, AgentManagementHost? host = null)
    {
        var response = await (host ?? Host).ResolveAsync(request);
        Assert.True(response.Is(out Response<AgentResolved>? resolved), $"Expected AgentResolved, got {response.Message}");
        return resolved!.Message;
    }

    private async Task<IReadOnlyDictionary<string, (string Value, int? Limit)>> BlocksAsync(string lettaAgentId) =>
        new SortedDictionary<string, (string, int?)>((await Host.Letta(Instance).ListAgentBlocksAsync(lettaAgentId, CancellationToken))
            .ToDictionary(b => b.Label!, b => (b.Value, b.Limit)), StringComparer.Ordinal);

    private async Task<List<(string Type, string Text)>> MessagesAsync(string lettaAgentId) =>
        [.. (await Host.Letta(Instance).ListMessagesAsync(lettaAgentId, new ListMessagesQuery { Limit = 100 }, CancellationToken))
            .Select(m => m switch
            {
                UserMessage user => (m.MessageType, user.Content?.Text ?? ""),
                AssistantMessage assistant => (m.MessageType, assistant.Content?.Text ?? ""),
                _ => (m.MessageType, ""),
            })];

    private async Task<bool> ExistsInLettaAsync(string lettaAgentId)
    {
        try
        {
            await Host.Letta(Instance).GetAgentAsync(lettaAgentId, cancellationToken: CancellationToken);
            return true;
        }
        catch (LettaNotFoundException)
        {
            return false;
        }
    }

    private async Task<AgentConfig?> WithArchiverAsync(Func<AgentArchiver, Task<AgentConfig?>> work)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AgentArchiver>());
    }

    private async Task<AgentConfig?> WithRestorerAsync(Func<AgentRestorer, Task<AgentConfig?>> work)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AgentRestorer>());
    }
}
