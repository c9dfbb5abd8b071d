using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.Cli.Tests;

/// <summary><c>lettactl</c> against the running platform, through the gateway, as an operator with an admin token.</summary>
[Collection(nameof(PlatformCollection))]
public class CliPlatformTests(CliPlatform platform)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Apply_ChangedTemplateFile_PublishesRollsOutAndPromotesToEveryAgent()
    {
        var agents = await CreateAgentsAsync("task-manager", count: 3);
        var persona = $"I am a task manager rolled out by lettactl ({Guid.NewGuid():N}).";
        using var folder = TemplateFolder.CopyOfRepository().Write("canary/task-manager.yaml", $"""
            id: task-manager
            tags: [tasks, planning, canary]
            blocks:
              - label: persona
                value: {persona}
            """);

        // The platform ships later versions beside version 1 (not active until rolled out): apply publishes the next one.
        var next = await LatestVersionAsync("task-manager") + 1;

        // The repository's base files are the templates the platform starts with.
        var before = await RunAsync("templates", "diff", Lettactl.RepositoryTemplates, "--exit-code");
        Assert.True(before.ExitCode == ExitCodes.Success, before.ToString());
        Assert.Contains("task-manager: no changes (v1 is active)", before.Output, StringComparison.Ordinal);

        var diff = await RunAsync("templates", "diff", folder.Path, "--env", "canary", "--exit-code");
        Assert.True(diff.ExitCode == ExitCodes.ChangesFound, diff.ToString());
        Assert.Contains($"task-manager: changes against active v1: apply publishes v{next}", diff.Output, StringComparison.Ordinal);
        Assert.Contains($"    + {persona}", diff.Output, StringComparison.Ordinal);
        Assert.Contains("~ tags: [tasks, planning] → [tasks, planning, canary]", diff.Output, StringComparison.Ordinal);

        var apply = await RunAsync("templates", "apply", folder.Path, "--env", "canary", "--canary-percent", "34", "--promote-when-healthy", "--interval", "0.2");

        Assert.True(apply.ExitCode == ExitCodes.Success, apply.ToString());
        Assert.Contains($"task-manager: published v{next}", apply.Output, StringComparison.Ordinal);
        Assert.Contains("task-manager: the canary is healthy", apply.Output, StringComparison.Ordinal);
        Assert.Contains($"task-manager: v{next} is active", apply.Output, StringComparison.Ordinal);
        Assert.Contains("completed", apply.Output, StringComparison.Ordinal);
        Assert.Contains("code-assistant: no changes", apply.Output, StringComparison.Ordinal);

        // Through the API: the template's active version, each agent's version, and the agents in Letta.
        using var admin = platform.CreateAdminClient();
        var templates = await admin.GetFromJsonAsync<JsonArray>("/api/templates", Token);
        var template = templates!.Single(t => t!["id"]!.GetValue<string>() == "task-manager")!;
        Assert.Equal(next, template["version"]!.GetValue<int>());
        Assert.Equal(["tasks", "planning", "canary"], template["tags"]!.AsArray().Select(tag => tag!.GetValue<string>()));
        foreach (var (client, agentId) in agents)
        {
            var agent = await client.GetFromJsonAsync<JsonObject>($"/api/agents/{agentId}", Token);
            Assert.Equal(next, agent!["templateVersion"]!.GetValue<int>());
            using var letta = platform.CreateLettaClient(agent["lettaInstance"]!.GetValue<string>());
            var block = await letta.GetFromJsonAsync<JsonObject>($"/v1/agents/{agent["lettaAgentId"]!.GetValue<string>()}/core-memory/blocks/persona", Token);
            Assert.Equal(persona, block!["value"]!.GetValue<string>());
        }

        var after = await RunAsync("templates", "diff", folder.Path, "--env", "canary", "--exit-code");
        Assert.True(after.ExitCode == ExitCodes.Success, after.ToString());
        Assert.Contains($"task-manager: no changes (v{next} is active)", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_CanaryAgentFails_RollsBackAndExitsWithRolloutFailed()
    {
        // An agent whose Letta agent is gone: the rollout cannot update it, so the canary is unhealthy.
        var (client, agentId) = Assert.Single(await CreateAgentsAsync("documentation", count: 1));
        var agent = await client.GetFromJsonAsync<JsonObject>($"/api/agents/{agentId}", Token);
        using (var letta = platform.CreateLettaClient(agent!["lettaInstance"]!.GetValue<string>()))
        {
            using var deleted = await letta.DeleteAsync($"/v1/agents/{agent["lettaAgentId"]!.GetValue<string>()}", Token);
            Assert.True(deleted.IsSuccessStatusCode, $"delete in Letta: {(int)deleted.StatusCode}");
        }

        using var folder = TemplateFolder.CopyOfRepository().Write("canary/documentation.yaml", $"""
            id: documentation
            description: A documentation writer whose rollout fails ({Guid.NewGuid():N}).
            """);
        var activeBefore = await ActiveVersionAsync("documentation");

        var run = await RunAsync("templates", "apply", folder.Path, "--env", "canary", "--canary-percent", "100", "--promote-when-healthy", "--interval", "0.2");

        Assert.True(run.ExitCode == ExitCodes.RolloutFailed, run.ToString());
        Assert.Contains("documentation: the canary is unhealthy", run.Output, StringComparison.Ordinal);
        Assert.Contains($"agent {agentId} (failed): ", run.Output, StringComparison.Ordinal);
        Assert.Contains($"rolled back to v{activeBefore}", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("promoting", run.Output, StringComparison.Ordinal);
        Assert.Equal(activeBefore, await ActiveVersionAsync("documentation"));
    }

    [Theory]
    [InlineData("not-a-token", ExitCodes.Unauthorized, "401")]
    [InlineData("user", ExitCodes.Unauthorized, "403")]
    public async Task Apply_WithoutAnAdminToken_FailsAndPublishesNothing(string token, int exitCode, string status)
    {
        if (token == "user")
        {
            using var user = await platform.CreateUserClientAsync($"cli-user-{Guid.NewGuid():N}", Token);
            token = user.DefaultRequestHeaders.Authorization!.Parameter!;
        }

        using var folder = TemplateFolder.CopyOfRepository().Write("canary/documentation.yaml", """
            id: documentation
            description: A change no one may publish without the admin role.
            """);
        var latestBefore = await LatestVersionAsync("documentation");

        var run = await Lettactl.RunAsync("templates", "apply", folder.Path, "--env", "canary", "--canary-percent", "100", "--url", platform.GatewayUrl.ToString(), "--token", token);

        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.Contains(status, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(token, run.Output + run.Error, StringComparison.Ordinal);
        Assert.Equal(latestBefore, await LatestVersionAsync("documentation"));
    }

    [Theory]
    [InlineData(new[] { "admin" }, ExitCodes.RequestFailed, "404")]
    [InlineData(new string[0], ExitCodes.Unauthorized, "403")]
    public async Task RolloutStatus_WithTheGatewaysDevToken_NeedsTheAdminRole(string[] roles, int exitCode, string status)
    {
        // In Development an operator signs in through the gateway's dev-token route, asking for the admin role.
        using var gateway = platform.CreateGatewayClient();
        using var issued = await gateway.PostAsJsonAsync("/api/auth/dev-token", new { userId = $"cli-operator-{Guid.NewGuid():N}", roles }, Token);
        var token = (await issued.Content.ReadFromJsonAsync<JsonObject>(Token))!["accessToken"]!.GetValue<string>();

        var run = await Lettactl.RunAsync("rollout", "status", "code-assistant", Guid.NewGuid().ToString(), "--url", platform.GatewayUrl.ToString(), "--token", token);

        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.Contains($"answered {status}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_TemplateThePlatformDoesNotHave_FailsBeforeChangingAnything()
    {
        using var folder = TemplateFolder.CopyOfRepository().Write("base/reviewer.yaml", """
            id: reviewer
            name: Reviewer
            description: Reviews.
            systemPrompt: You review.
            blocks: [{label: persona, value: I review.}]
            tools: []
            """);

        var run = await RunAsync("templates", "apply", folder.Path, "--canary-percent", "100");

        Assert.True(run.ExitCode == ExitCodes.InvalidTemplates, run.ToString());
        Assert.Contains("reviewer: the platform has no such template", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollout_StartedWithZeroCanaryThenRolledBack_ReturnsTheTemplate()
    {
        using var admin = platform.CreateAdminClient();
        var active = await ActiveVersionAsync("code-assistant");
        var current = (await admin.GetFromJsonAsync<JsonObject>($"/api/templates/code-assistant/versions/{active}", Token))!;
        current["description"] = $"Rolled back by lettactl ({Guid.NewGuid():N}).";
        using var published = await admin.PostAsJsonAsync("/api/templates/code-assistant/versions", current, Token);
        var version = (await published.Content.ReadFromJsonAsync<JsonObject>(Token))!["version"]!.GetValue<int>();

        var start = await RunAsync("rollout", "start", "code-assistant", version.ToString(System.Globalization.CultureInfo.InvariantCulture), "--canary-percent", "0", "--watch", "--interval", "0.2");
        Assert.True(start.ExitCode == ExitCodes.Success, start.ToString());
        var rolloutId = start.Output.Split(' ').SkipWhile(word => word != "rollout").Skip(1).First();

        var status = await RunAsync("rollout", "status", "code-assistant", rolloutId);
        Assert.True(status.ExitCode == ExitCodes.Success, status.ToString());
        Assert.Contains($"v{active} → v{version}, canary 0%", status.Output, StringComparison.Ordinal);

        var rollback = await RunAsync("rollout", "rollback", "code-assistant", rolloutId, "--watch", "--interval", "0.2");
        Assert.True(rollback.ExitCode == ExitCodes.Success, rollback.ToString());
        Assert.Contains($"rolled back: v{active} is active again", rollback.Output, StringComparison.Ordinal);

        var again = await RunAsync("rollout", "promote", "code-assistant", rolloutId);
        Assert.True(again.ExitCode == ExitCodes.RequestFailed, again.ToString());
        Assert.Contains("409", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Move_AgentsToTheOtherLettaInstance_MovesThemAndReportsTheOnesThatFailed()
    {
        var (client, agentId) = Assert.Single(await CreateAgentsAsync("documentation", count: 1));
        var before = await client.GetFromJsonAsync<JsonObject>($"/api/agents/{agentId}", Token);
        var target = before!["lettaInstance"]!.GetValue<string>() == CliPlatform.SecondLetta ? "letta" : CliPlatform.SecondLetta;
        var unknown = Guid.NewGuid();

        var run = await RunAsync("agents", "move", agentId, unknown.ToString(), "--to", target);

        Assert.True(run.ExitCode == ExitCodes.RequestFailed, run.ToString());
        Assert.Contains($"[1/2] agent {agentId} is on {target}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"[2/2] agent {unknown} was not moved: 404", run.Error, StringComparison.Ordinal);
        Assert.Contains($"1 of 2 agents moved to {target}.", run.Output, StringComparison.Ordinal);
        var after = await client.GetFromJsonAsync<JsonObject>($"/api/agents/{agentId}", Token);
        Assert.Equal(target, after!["lettaInstance"]!.GetValue<string>(), ignoreCase: true);

        var nowhere = await RunAsync("agents", "move", agentId, "--to", "nowhere");
        Assert.True(nowhere.ExitCode == ExitCodes.RequestFailed, nowhere.ToString());
        Assert.Contains("targetInstance", nowhere.Error, StringComparison.Ordinal);
    }

    /// <summary>Runs the CLI against the platform's gateway with an operator's token.</summary>
    private Task<CliRun> RunAsync(params string[] args) =>
        Lettactl.RunAsync([.. args, "--url", platform.GatewayUrl.ToString(), "--token", platform.CreateAdminToken()]);

    /// <summary>One agent of the template for each of <paramref name="count"/> new users, each with that user's client.</summary>
    private async Task<List<(HttpClient Client, string AgentId)>> CreateAgentsAsync(string templateId, int count)
    {
        var agents = new List<(HttpClient, string)>();
        for (var i = 0; i < count; i++)
        {
            var client = await platform.CreateUserClientAsync($"cli-{Guid.NewGuid():N}", Token);
            using var created = await client.PostAsJsonAsync("/api/agents", new { templateId }, Token);
            Assert.True(created.IsSuccessStatusCode, $"provision: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(Token)}");
            agents.Add((client, (await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!.GetValue<string>()));
        }

        return agents;
    }

    private Task<int> LatestVersionAsync(string templateId) => TemplateVersionAsync(templateId, "latestVersion");

    private Task<int> ActiveVersionAsync(string templateId) => TemplateVersionAsync(templateId, "version");

    private async Task<int> TemplateVersionAsync(string templateId, string field)
    {
        using var admin = platform.CreateAdminClient();
        var templates = await admin.GetFromJsonAsync<JsonArray>("/api/templates", Token);
        return templates!.Single(t => t!["id"]!.GetValue<string>() == templateId)![field]!.GetValue<int>();
    }
}
