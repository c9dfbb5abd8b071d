using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.Testing;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>
/// A person's agents as a team, through the gateway: the person makes a project, their task manager and code assistant
/// for it share its <c>project_context</c> block, and the task manager hands a review to the project's code assistant,
/// which posts it only after the person approves. Every step is in the audit ledger under the hand-off's chain.
/// </summary>
public class TeamEndToEndTests(EndToEndPlatform platform)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Project_TaskManagerHandsAReviewToTheProjectsCodeAssistant_PostedAfterApproval_Audited()
    {
        var kit = new AgentTestKit(await TestPlatform.ConnectionOfAsync(platform.App, Token));
        var userId = $"team-{Guid.NewGuid():N}"[..24];
        var repository = $"octo/team-{Guid.NewGuid():N}"[..18];
        using var person = await platform.CreateUserClientAsync(userId, Token);
        var githubToken = $"ghp_{Guid.NewGuid():N}{Guid.NewGuid():N}"[..40];
        platform.GitHub.AddToken(githubToken, "mona");
        using (var connected = await person.PutAsJsonAsync("/api/integrations/github", new { token = githubToken, allowedRepositories = new[] { repository } }, Token))
        {
            Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync(Token));
        }

        string projectId;
        using (var created = await person.PostAsJsonAsync("/api/projects", new { name = "Gemini", repository }, Token))
        {
            var body = await created.Content.ReadAsStringAsync(Token);
            Assert.True(created.StatusCode == HttpStatusCode.Created, body);
            projectId = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        }

        await using var manager = await kit.CreateAgentAsync("task-manager", userId, projectId, Token);
        await using var coder = await kit.CreateAgentAsync("code-assistant", userId, projectId, Token);

        // Both are the project's agents and hold its one shared block.
        var project = (await person.GetFromJsonAsync<JsonObject>($"/api/projects/{projectId}", Token))!;
        Assert.Equal(
            new[] { (coder.AgentId, true), (manager.AgentId, true) }.Order(),
            project["agents"]!.AsArray().Select(a => (a!["id"]!.GetValue<string>(), a["sharesProjectContext"]!.GetValue<bool>())).Order());
        Assert.Equal(await manager.MemoryAsync("project_context", Token), await coder.MemoryAsync("project_context", Token));

        var asked = await manager.SendAsync($"ask the code assistant to review pull request 12 in {repository}", Token);

        var ask = asked.ShouldCallTool("ask_agent", new { agent = "code-assistant" });
        var handOff = asked.ShouldHandOff("code-assistant");
        Assert.Equal("awaiting_approval", handOff.Status);
        var handOffSession = (await person.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{handOff.SessionId}", Token))!;
        Assert.Equal(coder.AgentId, handOffSession["agentId"]!.GetValue<string>());
        handOff.Turn.ShouldCallToolSuccessfully("get_pull_request", new { number = 12 });
        var approval = asked.ShouldAwaitApproval("post_pull_request_review");
        Assert.Empty(platform.GitHub.Repository(repository).Reviews);

        var approved = await manager.ApproveAsync(approval, Token);

        approved.ShouldComplete();
        Assert.StartsWith("The code assistant answered: I posted my review of pull request #12", approved.Reply, StringComparison.Ordinal);
        approved.ShouldHandOff("code-assistant").Turn.ShouldRunApprovedCall(approval);
        var (number, review) = Assert.Single(platform.GitHub.Repository(repository).Reviews);
        Assert.Equal((12, "REQUEST_CHANGES"), (number, review["event"]!.GetValue<string>()));

        var chain = (await person.GetFromJsonAsync<JsonObject>($"/api/tool-executions?chainId={handOff.ChainId}", Token))!["items"]!.AsArray();
        var steps = chain.Select(e => (Tool: e!["tool"]!.GetValue<string>(), Depth: e["chainDepth"]!.GetValue<int>(), Parent: e["parentToolCallId"]?.GetValue<string>(), ApprovedBy: e["approvedBy"]?.GetValue<string>())).ToList();
        Assert.Contains(("ask_agent", 0, (string?)null, (string?)null), steps);
        Assert.Contains(steps, s => s is { Tool: "get_pull_request", Depth: 1 } && s.Parent == ask.ToolCallId);
        Assert.Contains(("post_pull_request_review", 1, ask.ToolCallId, userId), steps);
    }
}
