using System.Net;
using System.Text.Json.Nodes;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Tests.TestHost;
using LettaPlatform.Contracts.AgentManagement;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LettaPlatform.AgentManagement.Api.Tests;

/// <summary>
/// Version 2 of the code assistant and the documentation writer reaches a platform that already has agents
/// the way every template change does: the migration seeds it, the agents stay on v1 until it is rolled out
/// (canary, then promote), and then they and every new agent have its tools, prompt and blocks.
/// </summary>
public sealed class CodeAndDocumentationTemplatesTests(InfrastructureFixture infrastructure, LettaDevServer lettaDev) : SingleInstanceTests(infrastructure, lettaDev)
{
    private const string PreviousMigration = "20261203041520_TaskManagerBreakdownVersion";

    private HttpClient Admin => Host.ClientFor("ops", admin: true);

    [Fact]
    public async Task SeededV2_OnAPlatformWithAgents_StaysInactiveUntilRolledOutByCanaryThenPromote()
    {
        // The platform as it was before the release, with code-assistant agents (v1) and no documentation agents.
        await MigrateAsync(PreviousMigration);
        // Today's code reads agent_configs.project_block_id (a later migration, Projects): the old schema gets it for the
        // time the agents are made, and loses it again before the migrations run forward.
        await ExecuteAsync("ALTER TABLE agent_configs ADD COLUMN project_block_id character varying(100)");
        var agents = new List<(string Id, string LettaAgentId, string User)>();
        foreach (var user in new[] { NewUser(), NewUser() })
        {
            var created = await Host.ClientFor(user).PostObjectAsync("/api/agents", new { templateId = "code-assistant" }, HttpStatusCode.Created);
            Assert.Equal(1, created["templateVersion"]!.GetValue<int>());
            agents.Add((created["id"]!.GetValue<string>(), created["lettaAgentId"]!.GetValue<string>(), user));
        }

        await ExecuteAsync("ALTER TABLE agent_configs DROP COLUMN project_block_id");
        await MigrateAsync(null);

        Assert.Equal((1, 2), (await ActiveVersionAsync("code-assistant"), await LatestVersionAsync("code-assistant")));
        Assert.Equal(2, await ActiveVersionAsync("documentation"));
        Assert.DoesNotContain((await ResolveAsync(agents[0])).Tools, t => t.Name == "post_pull_request_review");

        var started = await Admin.PostObjectAsync("/api/templates/code-assistant/rollouts", new { version = 2, canaryPercent = 50 }, HttpStatusCode.Accepted);
        var path = $"/api/templates/code-assistant/rollouts/{started["id"]!.GetValue<string>()}";
        var canary = await WaitForRolloutAsync(path, r => r["progress"]!["applied"]!.GetValue<int>() == 1);
        Assert.Equal(("canary", 1), (canary["status"]!.GetValue<string>(), canary["progress"]!["pending"]!.GetValue<int>()));
        Assert.Equal(1, await ActiveVersionAsync("code-assistant"));

        await Admin.PostObjectAsync($"{path}/promote", null, HttpStatusCode.Accepted);
        await WaitForRolloutAsync(path, r => r["status"]!.GetValue<string>() == "completed");

        var v2 = TemplateSeed.Versions.Single(v => v.TemplateId == "code-assistant" && v.Version == 2);
        Assert.Equal(2, await ActiveVersionAsync("code-assistant"));
        foreach (var agent in agents)
        {
            var resolved = await ResolveAsync(agent);
            Assert.Equal(2, resolved.TemplateVersion);
            Assert.Contains(resolved.Tools, t => t is { Name: "post_pull_request_review", RequiresApproval: true });
            Assert.Contains(resolved.Tools, t => t is { Name: "get_pull_request", RequiresApproval: false });
            var state = await Host.Letta(Instance).GetAgentAsync(agent.LettaAgentId, cancellationToken: CancellationToken);
            Assert.Equal(v2.SystemPrompt, state.System);
            Assert.Equal(v2.FindBlock("review_checklist")!.Value, state.Blocks.Single(b => b.Label == "review_checklist").Value);
        }

        var newcomer = await Host.ClientFor(NewUser()).PostObjectAsync("/api/agents", new { templateId = "code-assistant" }, HttpStatusCode.Created);
        Assert.Equal(2, newcomer["templateVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task MigrationRolledBack_PutsAgentsOnV2BackOnV1AndRemovesV2()
    {
        var created = await Host.ClientFor(NewUser()).PostObjectAsync("/api/agents", new { templateId = "documentation" }, HttpStatusCode.Created);
        Assert.Equal(2, created["templateVersion"]!.GetValue<int>());

        await MigrateAsync(PreviousMigration);

        Assert.Equal((1, 1), (await ActiveVersionAsync("documentation"), await LatestVersionAsync("documentation")));
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        Assert.Equal(1, await Host.WithDbAsync(db => db.AgentConfigs.Where(a => a.Id == id).Select(a => a.TemplateVersion).SingleAsync(CancellationToken)));
        await MigrateAsync(null);
    }

    [Fact]
    public async Task PublishVersion_NamingTheGitHubTools_IsAccepted()
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(TemplatesApiTests.NewVersion("Documentation v3 prompt.")))!.AsObject();
        body["tools"] = new JsonArray([.. new[]
        {
            "read_repository_contents", "list_pull_requests", "get_pull_request", "post_pull_request_review", "read_repository_docs", "propose_documentation_change",
        }.Select(name => (JsonNode)new JsonObject { ["name"] = name, ["requiresApproval"] = name is "post_pull_request_review" or "propose_documentation_change" })]);

        var published = await Admin.PostObjectAsync("/api/templates/documentation/versions", body, HttpStatusCode.Created);

        Assert.Equal(TemplateSeed.Versions.Count(v => v.TemplateId == "documentation") + 1, published["version"]!.GetValue<int>());
        Assert.Equal(6, published["tools"]!.AsArray().Count);
    }

    private Task MigrateAsync(string? target) => Host.WithDbAsync(async db =>
    {
        await db.GetService<IMigrator>().MigrateAsync(target, CancellationToken);
        return true;
    });

    private Task ExecuteAsync(string sql) => Host.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(sql, CancellationToken));

    private Task<int> ActiveVersionAsync(string templateId) =>
        Host.WithDbAsync(db => db.Templates.Where(t => t.Id == templateId).Select(t => t.ActiveVersion).SingleAsync(CancellationToken));

    private Task<int> LatestVersionAsync(string templateId) =>
        Host.WithDbAsync(db => db.TemplateVersions.Where(v => v.TemplateId == templateId).MaxAsync(v => v.Version, CancellationToken));

    private async Task<AgentResolved> ResolveAsync((string Id, string LettaAgentId, string User) agent)
    {
        var answer = await Host.ResolveAsync(new ResolveAgent { UserId = agent.User, AgentId = Guid.Parse(agent.Id) });
        Assert.True(answer.Is(out Response<AgentResolved>? resolved), "the agent should resolve");
        return resolved!.Message;
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
}
