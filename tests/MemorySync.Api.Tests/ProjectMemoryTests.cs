using System.Net;
using System.Net.Http.Json;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.Chat;
using LettaPlatform.Letta;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.MemorySync.Api.Tests;

/// <summary>
/// A project's shared <c>project_context</c>: one Letta block held by every agent of the project, versioned once on the
/// project, reachable from each agent's memory routes and from the project's.
/// </summary>
[Collection(MemorySyncCollection.Name)]
public sealed class ProjectMemoryTests(MemorySyncFixture fixture)
{
    private const string Initial = "Project: Apollo";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    private sealed record VersionBy(int Version, string Value, string Author, string Reason, Source? Source, Guid? AgentId, string? UserId);

    private sealed record Project(Guid Id, string UserId, string LettaBlockId)
    {
        public string BlockPath => $"/api/memory/projects/{Id}/blocks/project_context";
    }

    [Fact]
    public async Task AgentsTurnEditsTheSharedBlock_OneVersionNamesIt_TheOtherAgentReadsIt_AndItsTurnAddsNoDuplicate()
    {
        var project = await NewProjectAsync();
        var a = await ProvisionMemberAsync(project);
        var b = await ProvisionMemberAsync(project);
        using var client = Host.CreateClient(project.UserId);

        var edit = await SendAsync(a, "remember in project_context: We ship on Fridays");
        var toolCallId = edit.Messages.OfType<ToolCallMessage>().SelectMany(m => m.Calls).Single(c => c.Name == "memory_insert").ToolCallId!;
        var sessionId = Guid.NewGuid();
        await Host.Bus.Publish(TurnCompleted(a, sessionId, edit.Messages.First().RunId!, toolCallId), Ct);
        var history = await Eventually.TrueAsync(() => HistoryAsync(client, project.BlockPath), h => h.Count == 2);

        Assert.Equal(("agent", "turn", a.Id), (history[0].Author, history[0].Reason, history[0].AgentId));
        Assert.Equal($"{Initial}\nWe ship on Fridays", history[0].Value);
        Assert.Equal(new Source(sessionId, edit.Messages.First().RunId, toolCallId), history[0].Source);
        Assert.Equal(("system", (Guid?)null), (history[1].Author, history[1].AgentId));

        // B's next turn reads the block A wrote: one Letta block.
        var answer = await SendAsync(b, "what is in your project_context block?");
        Assert.Equal($"My project_context block says: {Initial}\nWe ship on Fridays", answer.Messages.OfType<AssistantMessage>().Last().Content?.Text);

        // B's turn that read the block (and called a memory tool on another block) adds no second version of it.
        await Host.Bus.Publish(TurnCompleted(b, Guid.NewGuid(), $"run-{Guid.NewGuid():N}", "call-memory-b"), Ct);
        await Task.Delay(1000, Ct);
        Assert.Equal(2, (await HistoryAsync(client, project.BlockPath)).Count);
        Assert.Equal(1, await Host.QueryAsync(db => db.Blocks.CountAsync(x => x.Label == "project_context" && (x.AgentId == a.Id || x.AgentId == b.Id || x.AgentId == project.Id), Ct)));

        // Each agent's memory routes show the same block and history.
        var throughB = await client.GetBlockAsync(b, "project_context");
        Assert.Equal((2, "agent", $"{Initial}\nWe ship on Fridays"), (throughB.Version, throughB.UpdatedBy, throughB.Value));
        Assert.Equal(history, await HistoryAsync(client, $"{a.BlocksPath}/project_context"));
        var blocksOfB = await (await client.GetAsync(b.BlocksPath, Ct)).ReadAsync<List<Block>>();
        Assert.Equal(["human", "persona", "project_context"], blocksOfB.Select(x => x.Label));
        // The page tells the shared block from the agent's own by the project it names.
        Assert.Equal([null, null, project.Id], blocksOfB.Select(x => x.ProjectId));
    }

    [Fact]
    public async Task ReconcileRecordsATurnsEditBeforeTheTurnsEvent_TheEventCreditsTheTurnAndItsAgent()
    {
        var project = await NewProjectAsync();
        var a = await ProvisionMemberAsync(project);
        var b = await ProvisionMemberAsync(project);
        using var client = Host.CreateClient(project.UserId);
        using var admin = Host.CreateClient("ops", admin: true);
        var began = DateTimeOffset.UtcNow;
        var edit = await SendAsync(a, "remember in project_context: We ship on Fridays");
        var toolCallId = edit.Messages.OfType<ToolCallMessage>().SelectMany(m => m.Calls).Single(c => c.Name == "memory_insert").ToolCallId!;

        // A reconcile runs before A's turn event arrives: it finds the edit as drift, through whichever agent it reads.
        using (var reconciled = await admin.PostAsync("/api/memory/reconcile", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, reconciled.StatusCode);
        }

        var found = (await HistoryAsync(client, project.BlockPath))[0];
        Assert.Equal(("agent", "reconcile", (Source?)null), (found.Author, found.Reason, found.Source));

        // A turn of B that began after the reconcile recorded the edit is not credited with it.
        await Host.Bus.Publish(TurnCompleted(b, Guid.NewGuid(), $"run-{Guid.NewGuid():N}", "call-memory-b") with { StartedAt = DateTimeOffset.UtcNow }, Ct);
        await Task.Delay(1000, Ct);
        Assert.Equal(found, (await HistoryAsync(client, project.BlockPath))[0]);

        var sessionId = Guid.NewGuid();
        await Host.Bus.Publish(TurnCompleted(a, sessionId, edit.Messages.First().RunId!, toolCallId) with { StartedAt = began }, Ct);
        var history = await Eventually.TrueAsync(() => HistoryAsync(client, project.BlockPath), h => h[0].Reason == "turn");

        Assert.Equal(2, history.Count);
        Assert.Equal(("agent", "turn", a.Id, $"{Initial}\nWe ship on Fridays"), (history[0].Author, history[0].Reason, history[0].AgentId, history[0].Value));
        Assert.Equal(new Source(sessionId, edit.Messages.First().RunId, toolCallId), history[0].Source);
    }

    [Fact]
    public async Task PersonsEditThroughOneAgent_WithIfMatch_ReachesEveryAgent_AndRollbackThroughTheProjectToo()
    {
        var project = await NewProjectAsync();
        var a = await ProvisionMemberAsync(project);
        var b = await ProvisionMemberAsync(project);
        using var client = Host.CreateClient(project.UserId);

        var edited = await (await client.PutBlockAsync(a, "project_context", "Project: Apollo\nStack: .NET 10", "\"1\"")).ReadAsync<Block>();
        var stale = await (await PutAsync(client, project.BlockPath, "lost update", "\"1\"")).ReadProblemAsync(HttpStatusCode.PreconditionFailed);

        Assert.Equal((2, "user", "synced"), (edited.Version, edited.UpdatedBy, edited.SyncState));
        Assert.Equal("stale_version", stale.Code);
        Assert.Equal("Project: Apollo\nStack: .NET 10", (await Host.Letta(b.Instance).GetAgentBlockAsync(b.LettaAgentId, "project_context", Ct)).Value);
        var afterEdit = await HistoryAsync(client, project.BlockPath);
        Assert.Equal(("user", a.Id, project.UserId), (afterEdit[0].Author, afterEdit[0].AgentId, afterEdit[0].UserId));

        var diff = await (await client.GetAsync($"{project.BlockPath}/diff?from=1&to=2", Ct)).ReadAsync<Diff>();
        Assert.Contains(diff.Lines, l => l is { Op: "add", Text: "Stack: .NET 10" });

        var rolledBack = await (await client.PostAsJsonAsync($"{project.BlockPath}/rollback", new { version = 1 }, Ct)).ReadAsync<Block>();

        Assert.Equal((3, Initial), (rolledBack.Version, rolledBack.Value));
        Assert.Equal(Initial, (await Host.Letta(a.Instance).GetAgentBlockAsync(a.LettaAgentId, "project_context", Ct)).Value);
        Assert.Equal(Initial, (await Host.Letta(b.Instance).GetAgentBlockAsync(b.LettaAgentId, "project_context", Ct)).Value);
        var answer = await SendAsync(b, "what is in your project_context block?");
        Assert.Equal($"My project_context block says: {Initial}", answer.Messages.OfType<AssistantMessage>().Last().Content?.Text);
        var last = (await HistoryAsync(client, $"{b.BlocksPath}/project_context"))[0];
        Assert.Equal((3, "user", "rollback:1", (Guid?)null), (last.Version, last.Author, last.Reason, last.AgentId));
    }

    [Fact]
    public async Task SnapshotOfTheProject_RestoresTheSharedBlockForEveryAgent()
    {
        var project = await NewProjectAsync();
        var a = await ProvisionMemberAsync(project);
        using var client = Host.CreateClient(project.UserId);
        var snapshot = await (await client.PostAsync($"/api/memory/projects/{project.Id}/snapshots", null, Ct)).ReadAsync<SnapshotInfo>(HttpStatusCode.Created);
        await (await PutAsync(client, project.BlockPath, "Changed after the snapshot.", "\"1\"")).ReadAsync<Block>();

        var restored = await (await client.PostAsync($"/api/memory/projects/{project.Id}/snapshots/{snapshot.Id}/restore", null, Ct)).ReadAsync<Restored>();

        Assert.False(snapshot.HasAgentFile);
        Assert.Equal([("project_context", Initial, 1)], snapshot.Blocks.Select(x => (x.Label, x.Value, x.Version)));
        Assert.Equal(Initial, Assert.Single(restored.Blocks).Value);
        Assert.Equal(Initial, (await Host.Letta(a.Instance).GetAgentBlockAsync(a.LettaAgentId, "project_context", Ct)).Value);
    }

    [Fact]
    public async Task AnotherPerson_CannotSeeOrChangeTheProjectsBlock_ThroughTheProjectOrAnAgent()
    {
        var project = await NewProjectAsync();
        var a = await ProvisionMemberAsync(project);
        using var stranger = Host.CreateClient($"user-{Guid.NewGuid():N}");

        var get = await (await stranger.GetAsync(project.BlockPath, Ct)).ReadProblemAsync(HttpStatusCode.NotFound);
        var list = await (await stranger.GetAsync($"/api/memory/projects/{project.Id}/blocks", Ct)).ReadProblemAsync(HttpStatusCode.NotFound);
        var history = await (await stranger.GetAsync($"{project.BlockPath}/history", Ct)).ReadProblemAsync(HttpStatusCode.NotFound);
        var put = await (await PutAsync(stranger, project.BlockPath, "hijacked", "\"1\"")).ReadProblemAsync(HttpStatusCode.NotFound);
        var rollback = await (await stranger.PostAsJsonAsync($"{project.BlockPath}/rollback", new { version = 1 }, Ct)).ReadProblemAsync(HttpStatusCode.NotFound);
        var snapshot = await (await stranger.PostAsync($"/api/memory/projects/{project.Id}/snapshots", null, Ct)).ReadProblemAsync(HttpStatusCode.NotFound);
        var viaAgent = await (await stranger.PutBlockAsync(a, "project_context", "hijacked", "\"1\"")).ReadProblemAsync(HttpStatusCode.NotFound);
        // A project's id is not an agent's: the agent routes do not reach the project's row.
        var projectAsAgent = await (await Host.CreateClient(project.UserId).GetAsync($"/api/memory/agents/{project.Id}/blocks", Ct)).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.All(new[] { get, list, history, put, rollback, snapshot }, p => Assert.Equal("project_not_found", p.Code));
        Assert.Equal("agent_not_found", viaAgent.Code);
        Assert.Equal("agent_not_found", projectAsAgent.Code);
        Assert.Equal(Initial, (await Host.Letta(a.Instance).GetBlockAsync(project.LettaBlockId, Ct)).Value);
        Assert.Single(await HistoryAsync(Host.CreateClient(project.UserId), project.BlockPath));
    }

    [Fact]
    public async Task TurnOutrunningAgentProvisioned_ThenTheAnnouncement_LeavesTheAgentOneSharedBlock()
    {
        var project = await NewProjectAsync();
        var a = await ProvisionMemberAsync(project);
        var state = await Host.Letta("letta").CreateAgentAsync(TestAgent.CreateRequest(500) with { BlockIds = [project.LettaBlockId] }, Ct);
        var late = new TestAgent(Guid.NewGuid(), project.UserId, "letta", state.Id);

        // Its first turn arrives before agent-management's AgentProvisioned: memory-sync registers it from the turn alone.
        await Host.Bus.Publish(TurnCompleted(late, Guid.NewGuid(), $"run-{Guid.NewGuid():N}", "call-1"), Ct);
        await Eventually.TrueAsync(() => Host.QueryAsync(db => db.Blocks.CountAsync(b => b.AgentId == late.Id)), count => count == 3);
        await Host.Bus.Publish(Provisioned(late, project), Ct);
        await Eventually.TrueAsync(() => Host.QueryAsync(db => db.Blocks.CountAsync(b => b.AgentId == late.Id)), count => count == 2);

        using var client = Host.CreateClient(project.UserId);
        var blocks = await (await client.GetAsync(late.BlocksPath, Ct)).ReadAsync<List<Block>>();
        Assert.Equal(["human", "persona", "project_context"], blocks.Select(x => x.Label));
        var edited = await (await client.PutBlockAsync(late, "project_context", "Edited through the late agent.", "\"1\"")).ReadAsync<Block>();
        Assert.Equal(2, edited.Version);
        Assert.Equal("Edited through the late agent.", (await client.GetBlockAsync(a, "project_context")).Value);
    }

    private async Task<Project> NewProjectAsync()
    {
        var block = await Host.Letta("letta").CreateBlockAsync(new CreateBlockRequest { Label = "project_context", Value = Initial, Limit = 5000 }, Ct);
        return new Project(Guid.NewGuid(), $"user-{Guid.NewGuid():N}", block.Id);
    }

    /// <summary>An agent of the project as agent-management makes one: its own blocks, and the project's block attached.</summary>
    private async Task<TestAgent> ProvisionMemberAsync(Project project)
    {
        var state = await Host.Letta("letta").CreateAgentAsync(TestAgent.CreateRequest(500) with { BlockIds = [project.LettaBlockId] }, Ct);
        var agent = new TestAgent(Guid.NewGuid(), project.UserId, "letta", state.Id);
        await Host.Bus.Publish(Provisioned(agent, project), Ct);
        await Eventually.TrueAsync(() => Host.QueryAsync(db => db.Blocks.CountAsync(b => b.AgentId == agent.Id || b.AgentId == project.Id)), count => count == 3);
        await Eventually.TrueAsync(() => Host.QueryAsync(db => db.Agents.CountAsync(x => x.Id == agent.Id && x.ProjectId == project.Id)), count => count == 1);
        return agent;
    }

    private static AgentProvisioned Provisioned(TestAgent agent, Project project) => new()
    {
        AgentId = agent.Id,
        UserId = project.UserId,
        TemplateId = "code-assistant",
        TemplateVersion = 1,
        ProjectId = project.Id.ToString(),
        LettaInstance = "letta",
        LettaAgentId = agent.LettaAgentId,
        ProvisionedAt = DateTimeOffset.UtcNow,
        ProjectBlock = new SharedProjectBlock { ProjectId = project.Id, Label = "project_context", LettaBlockId = project.LettaBlockId },
    };

    private static async Task<List<VersionBy>> HistoryAsync(HttpClient client, string blockPath) =>
        await (await client.GetAsync($"{blockPath}/history", Ct)).ReadAsync<List<VersionBy>>();

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string path, string value, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(new { value }) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request, Ct);
    }

    private Task<LettaResponse> SendAsync(TestAgent agent, string text) =>
        Host.Letta(agent.Instance).SendMessageAsync(agent.LettaAgentId, new LettaMessageRequest { Messages = [LettaInput.User(text)] }, Ct);

    private static ChatTurnCompleted TurnCompleted(TestAgent agent, Guid sessionId, string runId, string toolCallId) => new()
    {
        TurnId = Guid.NewGuid(),
        SessionId = sessionId,
        UserId = agent.UserId,
        AgentId = agent.Id,
        LettaInstance = agent.Instance,
        LettaAgentId = agent.LettaAgentId,
        RunIds = [runId],
        Outcome = "completed",
        MemoryToolCallIds = [toolCallId],
        CompletedAt = DateTimeOffset.UtcNow,
    };
}
