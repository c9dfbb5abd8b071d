using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.Testing;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>
/// The agents doing their jobs through the gateway, written with the agent test kit (LettaPlatform.Testing)
/// as a team would write tests of its own template: the task manager breaks a task down and reports progress;
/// the code assistant opens a pull request only after the person approves.
/// </summary>
public class AgentKitEndToEndTests(EndToEndPlatform platform)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // The platform is the suite's own (two replicas of each service); the kit reads where it is from the AppHost.
    private async Task<AgentTestKit> KitAsync() => new(await TestPlatform.ConnectionOfAsync(platform.App, Token));

    [Fact]
    public async Task TaskManager_BreaksATaskIntoOrderedSubtasks_ReportsProgress_AndAsksBeforeClosingTheParent()
    {
        // The shipped version with the breakdown tools reaches agents through the rollout, as in production.
        var kit = await KitAsync();
        await kit.RollOutAsync("task-manager", 2, Token);
        await using var agent = await kit.CreateAgentAsync("task-manager", cancellationToken: Token);
        Assert.Equal(2, agent.TemplateVersion);

        var created = (await agent.SendAsync("create a task: Launch the website", Token)).ShouldComplete().ShouldCallToolSuccessfully("create_task");
        var taskId = created.Data!["created"]!["task_id"]!.GetValue<string>();

        var breakdown = (await agent.SendAsync($"break task {taskId} into: Write copy, Design pages and Deploy", Token))
            .ShouldComplete()
            .ShouldCallToolSuccessfully("break_down_task", new { task_id = taskId, subtasks = new[] { "Write copy", "Design pages", "Deploy" } });
        var subtasks = breakdown.Data!["task"]!["subtasks"]!.AsArray().Select(s => s!["task_id"]!.GetValue<string>()).ToList();
        Assert.Equal("0 of 3 done", breakdown.Data["task"]!["progress"]!.GetValue<string>());

        foreach (var done in subtasks[..2])
        {
            using var patched = await agent.User.PatchAsJsonAsync($"/api/tasks/{done}", new { status = "done" }, Token);
            patched.EnsureSuccessStatusCode();
        }

        var report = (await agent.SendAsync($"how am I doing since {DateTime.UtcNow:yyyy-MM-dd}?", Token))
            .ShouldComplete().ShouldCallToolSuccessfully("task_progress_report");
        Assert.Equal((4, 2), (report.Data!["total"]!.GetValue<int>(), report.Data["by_status"]!["done"]!.GetValue<int>()));
        Assert.Equal(2, report.Data["changed_since"]!["completed"]!["count"]!.GetValue<int>());

        // The dev model is scripted to close the last subtask and then ask, as a model following the template would.
        await agent.ScriptAsync(
            ScriptStep.CallTool("update_task", new { task_id = subtasks[2], status = "done" }),
            ScriptStep.Reply("Deploy is done, so every subtask of Launch the website is done. Shall I close it too?"));
        var closing = (await agent.SendAsync("I deployed it", Token)).ShouldComplete().ShouldReply("Shall I close it too?");
        var offer = closing.ShouldCallToolSuccessfully("update_task").Data!["parent_ready_to_close"]!;
        Assert.Equal(taskId, offer["parent"]!["task_id"]!.GetValue<string>());

        var parent = (await agent.User.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}", Token))!;
        Assert.Equal(("todo", 3, 3), (parent["status"]!.GetValue<string>(), parent["progress"]!["done"]!.GetValue<int>(), parent["progress"]!["total"]!.GetValue<int>()));
    }

    [Fact]
    public async Task CodeAssistant_OpensAPullRequestOnlyAfterThePersonApproves()
    {
        await using var agent = await (await KitAsync()).CreateAgentAsync("code-assistant", cancellationToken: Token);
        var repository = $"octo/kit-{Guid.NewGuid():N}"[..20];
        var githubToken = $"ghp_{Guid.NewGuid():N}{Guid.NewGuid():N}"[..40];
        platform.GitHub.AddToken(githubToken, "mona");
        using (var connected = await agent.User.PutAsJsonAsync("/api/integrations/github", new { token = githubToken, allowedRepositories = new[] { repository } }, Token))
        {
            connected.EnsureSuccessStatusCode();
        }

        var asked = await agent.SendAsync($"open a pull request in {repository} from feature to main: Add greeting", Token);
        var approval = asked.ShouldAwaitApproval("create_pull_request");
        Assert.Equal(repository, approval.Arguments["repository"]!.GetValue<string>());
        Assert.DoesNotContain(platform.GitHub.PullRequests, pr => pr.Repository == repository);

        var approved = await agent.ApproveAsync(approval, Token);

        var call = approved.ShouldComplete().ShouldRunApprovedCall(approval);
        Assert.Contains("pull/42", call.Result!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("Add greeting", Assert.Single(platform.GitHub.PullRequests, pr => pr.Repository == repository).Body["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task TaskManager_HandsAPullRequestToTheCodeAssistant_WhichOpensItOnlyAfterThePersonApproves()
    {
        await using var agent = await (await KitAsync()).CreateAgentAsync("task-manager", cancellationToken: Token);
        var repository = $"octo/handoff-{Guid.NewGuid():N}"[..22];
        var githubToken = $"ghp_{Guid.NewGuid():N}{Guid.NewGuid():N}"[..40];
        platform.GitHub.AddToken(githubToken, "mona");
        using (var connected = await agent.User.PutAsJsonAsync("/api/integrations/github", new { token = githubToken, allowedRepositories = new[] { repository } }, Token))
        {
            connected.EnsureSuccessStatusCode();
        }

        var asked = await agent.SendAsync($"ask the code assistant to open a pull request in {repository} from feature to main: Add greeting", Token);

        var ask = asked.ShouldCallTool("ask_agent", new { agent = "code-assistant" });
        var handOff = asked.ShouldHandOff("code-assistant");
        Assert.Equal("awaiting_approval", handOff.Status);
        handOff.Turn.ShouldCallTool("create_pull_request", new { repository });
        var approval = asked.ShouldAwaitApproval("create_pull_request");
        Assert.DoesNotContain(platform.GitHub.PullRequests, pr => pr.Repository == repository);

        var approved = await agent.ApproveAsync(approval, Token);

        approved.ShouldComplete().ShouldReply("The code assistant answered: I opened pull request #42");
        var resumed = approved.ShouldHandOff("code-assistant");
        Assert.Equal(handOff.SessionId, resumed.SessionId);
        resumed.Turn.ShouldRunApprovedCall(approval);
        Assert.Equal("Add greeting", Assert.Single(platform.GitHub.PullRequests, pr => pr.Repository == repository).Body["title"]!.GetValue<string>());

        // The hand-off's conversation is linked to the person's, and the audit ledger shows the chain.
        var linked = (await agent.User.GetFromJsonAsync<JsonObject>($"/api/chat/sessions?parentSessionId={agent.SessionId}", Token))!["items"]!.AsArray();
        Assert.Equal(handOff.SessionId, Assert.Single(linked)!["id"]!.GetValue<string>());
        var chain = (await agent.User.GetFromJsonAsync<JsonObject>($"/api/tool-executions?chainId={handOff.ChainId}", Token))!["items"]!.AsArray();
        var steps = chain.Select(e => (Tool: e!["tool"]!.GetValue<string>(), Depth: e["chainDepth"]!.GetValue<int>(), Parent: e["parentToolCallId"]?.GetValue<string>(), ApprovedBy: e["approvedBy"]?.GetValue<string>())).ToList();
        Assert.Contains(("ask_agent", 0, (string?)null, (string?)null), steps);
        Assert.Contains(("create_pull_request", 1, ask.ToolCallId, agent.UserId), steps);
    }
}
