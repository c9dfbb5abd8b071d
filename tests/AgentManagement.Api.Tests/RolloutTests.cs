using LettaPlatform.AgentManagement.Api.Data;
using System.Net;
using System.Text.Json.Nodes;
using LettaPlatform.AgentManagement.Api.Tests.TestHost;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Letta;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Tests;

public sealed class RolloutTests(InfrastructureFixture infrastructure, LettaDevServer lettaDev) : SingleInstanceTests(infrastructure, lettaDev)
{
    private HttpClient Admin => Host.ClientFor("ops", admin: true);

    private ILettaClient Letta => Host.Letta(Instance);

    /// <summary>Agents of <paramref name="templateId"/> whose person has written their own <c>human</c> block.</summary>
    private async Task<List<(string Id, string LettaAgentId, string User)>> CreateAgentsAsync(string templateId, int count)
    {
        var agents = new List<(string, string, string)>();
        for (var i = 0; i < count; i++)
        {
            var user = $"user-{Guid.NewGuid():N}";
            var agent = await Host.ClientFor(user).PostObjectAsync("/api/agents", new { templateId }, HttpStatusCode.Created);
            var lettaAgentId = agent["lettaAgentId"]!.GetValue<string>();
            await Letta.ModifyAgentBlockAsync(lettaAgentId, "human", new BlockUpdate { Value = $"Name: {user}. Written by the person." }, CancellationToken);
            agents.Add((agent["id"]!.GetValue<string>(), lettaAgentId, user));
        }

        return agents;
    }

    private async Task<JsonObject> WaitForRolloutAsync(string path, Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var rollout = await Admin.GetObjectAsync(path);
            if (done(rollout))
            {
                return rollout;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The rollout did not get there in time: {rollout.ToJsonString()}");
            await Task.Delay(100, CancellationToken);
        }
    }

    private static int Progress(JsonObject rollout, string counter) => rollout["progress"]![counter]!.GetValue<int>();

    private async Task<int> ActiveVersionAsync(string templateId) =>
        (await Admin.SendAsync(HttpMethod.Get, "/api/templates", null, HttpStatusCode.OK))!.AsArray()
            .Single(t => t!["id"]!.GetValue<string>() == templateId)!["version"]!.GetValue<int>();

    [Fact]
    public async Task Rollout_CanaryThenPromoteThenRollback_UpdatesPromptAndBlocksButNeverUserBlocks()
    {
        var agents = await CreateAgentsAsync("task-manager", 4);
        var v1 = await Letta.GetAgentAsync(agents[0].LettaAgentId, cancellationToken: CancellationToken);
        var version = (await Admin.PostObjectAsync("/api/templates/task-manager/versions", TemplatesApiTests.NewVersion("Task manager v2 prompt.", "working_agreements"), HttpStatusCode.Created))["version"]!.GetValue<int>();

        // Publishing alone touches no agent.
        Assert.Equal(v1.System, (await Letta.GetAgentAsync(agents[3].LettaAgentId, cancellationToken: CancellationToken)).System);
        Assert.Equal(1, await ActiveVersionAsync("task-manager"));

        var started = await Admin.PostObjectAsync("/api/templates/task-manager/rollouts", new { version, canaryPercent = 50 }, HttpStatusCode.Accepted);
        var path = $"/api/templates/task-manager/rollouts/{started["id"]!.GetValue<string>()}";
        var canary = await WaitForRolloutAsync(path, r => Progress(r, "applied") == 2);

        Assert.Equal("canary", canary["status"]!.GetValue<string>());
        Assert.Equal((4, 2, 2), (Progress(canary, "total"), Progress(canary, "canary"), Progress(canary, "pending")));
        var canaryIds = canary["agents"]!.AsArray().Where(a => a!["canary"]!.GetValue<bool>()).Select(a => a!["agentId"]!.GetValue<string>()).ToHashSet();
        foreach (var (id, lettaAgentId, user) in agents)
        {
            var state = await Letta.GetAgentAsync(lettaAgentId, cancellationToken: CancellationToken);
            var human = state.Blocks.Single(b => b.Label == "human").Value;
            Assert.Equal($"Name: {user}. Written by the person.", human);
            if (canaryIds.Contains(id))
            {
                Assert.Equal("Task manager v2 prompt.", state.System);
                Assert.Equal("I am version two.", state.Blocks.Single(b => b.Label == "persona").Value);
                Assert.Contains(state.Blocks, b => b.Label == "working_agreements");
                Assert.Equal(version, (await Host.ClientFor(user).GetObjectAsync($"/api/agents/{id}"))["templateVersion"]!.GetValue<int>());
            }
            else
            {
                Assert.Equal(v1.System, state.System);
                Assert.DoesNotContain(state.Blocks, b => b.Label == "working_agreements");
            }
        }

        var canaryAgent = agents.First(a => canaryIds.Contains(a.Id));
        var resolved = await Host.ResolveAsync(new ResolveAgent { UserId = canaryAgent.User, AgentId = Guid.Parse(canaryAgent.Id) });
        Assert.True(resolved.Is(out Response<AgentResolved>? answer));
        Assert.Equal(version, answer!.Message.TemplateVersion);
        Assert.Contains(answer.Message.Tools, t => t is { Name: "create_task", RequiresApproval: true });

        await Admin.PostObjectAsync($"{path}/promote", null, HttpStatusCode.Accepted);
        var completed = await WaitForRolloutAsync(path, r => r["status"]!.GetValue<string>() == "completed");

        Assert.Equal(4, Progress(completed, "applied"));
        Assert.Equal(version, await ActiveVersionAsync("task-manager"));
        foreach (var (_, lettaAgentId, user) in agents)
        {
            var state = await Letta.GetAgentAsync(lettaAgentId, cancellationToken: CancellationToken);
            Assert.Equal("Task manager v2 prompt.", state.System);
            Assert.Equal($"Name: {user}. Written by the person.", state.Blocks.Single(b => b.Label == "human").Value);
        }

        await Admin.PostObjectAsync($"{path}/rollback", null, HttpStatusCode.Accepted);
        var rolledBack = await WaitForRolloutAsync(path, r => r["status"]!.GetValue<string>() == "rolled_back");

        Assert.Equal(4, Progress(rolledBack, "rolledBack"));
        Assert.Equal(1, await ActiveVersionAsync("task-manager"));
        foreach (var (id, lettaAgentId, user) in agents)
        {
            var state = await Letta.GetAgentAsync(lettaAgentId, cancellationToken: CancellationToken);
            Assert.Equal(v1.System, state.System);
            Assert.Equal(v1.Blocks.Single(b => b.Label == "persona").Value, state.Blocks.Single(b => b.Label == "persona").Value);
            Assert.DoesNotContain(state.Blocks, b => b.Label == "working_agreements");
            Assert.Equal($"Name: {user}. Written by the person.", state.Blocks.Single(b => b.Label == "human").Value);
            Assert.Equal(1, (await Host.ClientFor(user).GetObjectAsync($"/api/agents/{id}"))["templateVersion"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Rollout_ShippedTaskManagerBreakdownVersion_GivesExistingAgentsTheNewToolsAndRulesAndKeepsTheirMemory()
    {
        var agents = await CreateAgentsAsync("task-manager", 2);
        Assert.Equal(1, await ActiveVersionAsync("task-manager"));

        var started = await Admin.PostObjectAsync("/api/templates/task-manager/rollouts",
            new { version = TemplateSeed.TaskManagerBreakdownVersion, canaryPercent = 100 }, HttpStatusCode.Accepted);
        var path = $"/api/templates/task-manager/rollouts/{started["id"]!.GetValue<string>()}";
        await WaitForRolloutAsync(path, r => Progress(r, "applied") == 2);

        foreach (var (id, lettaAgentId, user) in agents)
        {
            var state = await Letta.GetAgentAsync(lettaAgentId, cancellationToken: CancellationToken);
            Assert.Contains("break_down_task", state.System);
            Assert.Contains("one level deep", state.Blocks.Single(b => b.Label == "breakdown_rules").Value);
            Assert.Equal($"Name: {user}. Written by the person.", state.Blocks.Single(b => b.Label == "human").Value);
            var resolved = await Host.ResolveAsync(new ResolveAgent { UserId = user, AgentId = Guid.Parse(id) });
            Assert.True(resolved.Is(out Response<AgentResolved>? answer));
            Assert.Equal(["break_down_task", "create_task", "query_tasks", "task_progress_report", "update_task"], answer!.Message.Tools.Select(t => t.Name).Order());
        }

        // Back to version 1, so the template's other tests start from the shipped state.
        await Admin.PostObjectAsync($"{path}/rollback", null, HttpStatusCode.Accepted);
        await WaitForRolloutAsync(path, r => r["status"]!.GetValue<string>() == "rolled_back");
        Assert.Equal(1, await ActiveVersionAsync("task-manager"));
    }

    [Fact]
    public async Task Rollout_OneAgentFails_TheOthersAreUpdatedAndTheFailureIsRecorded()
    {
        var agents = await CreateAgentsAsync("documentation", 3);
        var published = await Admin.PostObjectAsync("/api/templates/documentation/versions", TemplatesApiTests.NewVersion("Documentation v2 prompt."), HttpStatusCode.Created);
        var broken = agents[1];
        Host.Faults.FailWhen = request => request.Method == HttpMethod.Patch && request.RequestUri!.AbsolutePath.Contains(broken.LettaAgentId);
        JsonObject rollout;
        try
        {
            var started = await Admin.PostObjectAsync("/api/templates/documentation/rollouts", new { version = published["version"]!.GetValue<int>(), canaryPercent = 100 }, HttpStatusCode.Accepted);
            rollout = await WaitForRolloutAsync(
                $"/api/templates/documentation/rollouts/{started["id"]!.GetValue<string>()}",
                r => Progress(r, "pending") == 0);
        }
        finally
        {
            Host.Faults.FailWhen = null;
        }

        Assert.Equal((2, 1), (Progress(rollout, "applied"), Progress(rollout, "failed")));
        var failed = rollout["agents"]!.AsArray().Single(a => a!["state"]!.GetValue<string>() == "failed")!;
        Assert.Equal(broken.Id, failed["agentId"]!.GetValue<string>());
        Assert.Contains("Injected failure", failed["error"]!.GetValue<string>());
        Assert.Equal("Documentation v2 prompt.", (await Letta.GetAgentAsync(agents[2].LettaAgentId, cancellationToken: CancellationToken)).System);
        Assert.NotEqual("Documentation v2 prompt.", (await Letta.GetAgentAsync(broken.LettaAgentId, cancellationToken: CancellationToken)).System);
    }

    [Fact]
    public async Task StartRollout_BadInputOrNotAdmin_IsRefusedAndStartsNothing()
    {
        var invalid = await Admin.ProblemAsync(HttpMethod.Post, "/api/templates/code-assistant/rollouts", new { version = 9, canaryPercent = 150 }, HttpStatusCode.BadRequest);
        var noVersion = await Admin.ProblemAsync(HttpMethod.Post, "/api/templates/code-assistant/rollouts", new { version = 9, canaryPercent = 10 }, HttpStatusCode.BadRequest);
        var active = await ActiveVersionAsync("code-assistant");
        await Admin.ProblemAsync(HttpMethod.Post, "/api/templates/code-assistant/rollouts", new { version = active, canaryPercent = 10 }, HttpStatusCode.Conflict);
        await Host.ClientFor("someone").ProblemAsync(HttpMethod.Post, "/api/templates/code-assistant/rollouts", new { version = active, canaryPercent = 10 }, HttpStatusCode.Forbidden);
        await Admin.ProblemAsync(HttpMethod.Get, $"/api/templates/code-assistant/rollouts/{Guid.NewGuid()}", null, HttpStatusCode.NotFound);

        Assert.NotNull(invalid["errors"]!["canaryPercent"]);
        Assert.NotNull(noVersion["errors"]!["version"]);
        Assert.Equal(0, await Host.WithDbAsync(db => db.Rollouts.CountAsync(CancellationToken)));
    }
}
