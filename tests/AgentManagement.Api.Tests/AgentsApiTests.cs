using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.AgentManagement.Api.Tests.TestHost;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Letta;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Tests;

public sealed class AgentsApiTests(InfrastructureFixture infrastructure, LettaDevServer lettaDev) : SingleInstanceTests(infrastructure, lettaDev)
{
    private Task<IReadOnlyList<AgentState>> LettaAgentsOfAsync(string userId) =>
        Host.Letta(Instance).ListAgentsAsync(new ListAgentsQuery { Tags = [$"user:{userId}"], Limit = 1000 }, CancellationToken);

    [Fact]
    public async Task CreateAgent_FirstUse_Answers201AndProvisionsTheTemplateInLetta()
    {
        var user = NewUser();

        var created = await Host.ClientFor(user).PostObjectAsync("/api/agents", new { templateId = "code-assistant", projectId = "web" }, HttpStatusCode.Created);

        Assert.Equal("code-assistant", created["templateId"]!.GetValue<string>());
        Assert.Equal(Data.TemplateSeed.CodeAndDocumentationVersion, created["templateVersion"]!.GetValue<int>());
        Assert.Equal("web", created["projectId"]!.GetValue<string>());
        Assert.Equal("active", created["status"]!.GetValue<string>());
        Assert.Equal(Instance, created["lettaInstance"]!.GetValue<string>());

        var letta = await Host.Letta(Instance).GetAgentAsync(created["lettaAgentId"]!.GetValue<string>(), cancellationToken: CancellationToken);
        Assert.Equal("letta_v1_agent", letta.AgentType);
        Assert.StartsWith("You are a senior software engineer", letta.System);
        Assert.Contains($"user:{user}", letta.Tags);
        Assert.Contains("template:code-assistant", letta.Tags);
        Assert.Equal(["human", "persona", "preferences", "project_context", "review_checklist"], letta.Blocks.Select(b => b.Label!).Order());
        Assert.Equal(created["id"]!.GetValue<string>(), letta.Metadata!["platform_agent_id"]!.GetValue<string>());
        Assert.Equal(Data.TemplateSeed.CodeAndDocumentationVersion, letta.Metadata["template_version"]!.GetValue<int>());
        Assert.Contains(letta.Tools, t => t.Name == "memory_insert");

        var provisioned = (await Host.OutboxBodiesAsync<AgentProvisioned>())
            .Select(body => JsonSerializer.Deserialize<AgentProvisioned>(body, JsonSerializerOptions.Web)!)
            .Single(p => p.UserId == user);
        Assert.Equal(letta.Id, provisioned.LettaAgentId);
    }

    [Fact]
    public async Task CreateAgent_AgainForSameTemplateAndProject_Answers200WithTheSameAgent()
    {
        var client = Host.ClientFor(NewUser());
        var first = await client.PostObjectAsync("/api/agents", new { templateId = "task-manager" }, HttpStatusCode.Created);

        var second = await client.PostObjectAsync("/api/agents", new { templateId = "task-manager" }, HttpStatusCode.OK);
        var otherProject = await client.PostObjectAsync("/api/agents", new { templateId = "task-manager", projectId = "p2" }, HttpStatusCode.Created);

        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.Equal(first["lettaAgentId"]!.GetValue<string>(), second["lettaAgentId"]!.GetValue<string>());
        Assert.NotEqual(first["id"]!.GetValue<string>(), otherProject["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateAgent_100ConcurrentFirstRequests_CreateExactlyOneLettaAgent()
    {
        var user = NewUser();
        var client = Host.ClientFor(user);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            using var response = await client.PostAsync("/api/agents", JsonContent(new { templateId = "documentation" }), CancellationToken);
            var text = await response.Content.ReadAsStringAsync(CancellationToken);
            return (response.StatusCode, Id: JsonNode.Parse(text)!["id"]?.GetValue<string>(), Body: text);
        }));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)r.StatusCode}: {r.Body}"));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Single(responses.Select(r => r.Id).Distinct());
        Assert.Single(await LettaAgentsOfAsync(user));
        Assert.Equal(1, await Host.WithDbAsync(db => db.AgentConfigs.CountAsync(a => a.UserId == user, CancellationToken)));
    }

    [Fact]
    public async Task CreateAgent_ClaimAbandonedAfterCreatingInLetta_IsTakenOverAndAdoptsThatAgent()
    {
        var user = NewUser();
        var id = Guid.CreateVersion7();
        var orphan = await Host.Letta(Instance).CreateAgentAsync(
            new Letta.CreateAgentRequest { Name = "crashed-claim", Tags = [$"user:{user}", $"platform-agent:{id:N}"] }, CancellationToken);
        await Host.WithDbAsync(async db =>
        {
            var stale = DateTimeOffset.UtcNow.AddHours(-1);
            db.AgentConfigs.Add(new AgentConfig
            {
                Id = id,
                UserId = user,
                TemplateId = "task-manager",
                TemplateVersion = 1,
                LettaInstance = Instance,
                Status = AgentStatus.Provisioning,
                CreatedAt = stale,
                UpdatedAt = stale,
                ClaimedAt = stale,
            });
            return await db.SaveChangesAsync(CancellationToken);
        });

        var agent = await Host.ClientFor(user).PostObjectAsync("/api/agents", new { templateId = "task-manager" }, HttpStatusCode.Created);

        Assert.Equal(id.ToString(), agent["id"]!.GetValue<string>());
        Assert.Equal(orphan.Id, agent["lettaAgentId"]!.GetValue<string>());
        Assert.Equal("active", agent["status"]!.GetValue<string>());
        Assert.Single(await LettaAgentsOfAsync(user));
    }

    [Fact]
    public async Task CreateAgent_UnknownTemplate_AnswersValidationProblemAndChangesNothing()
    {
        var user = NewUser();
        var client = Host.ClientFor(user);

        var problem = await client.ProblemAsync(HttpMethod.Post, "/api/agents", new { templateId = "astrologer" }, HttpStatusCode.BadRequest);
        var missing = await client.ProblemAsync(HttpMethod.Post, "/api/agents", new { projectId = "x" }, HttpStatusCode.BadRequest);

        Assert.Contains("astrologer", problem["errors"]!["templateId"]![0]!.GetValue<string>());
        Assert.NotNull(missing["errors"]!["templateId"]);
        Assert.Empty(await LettaAgentsOfAsync(user));
        Assert.Equal(0, await Host.WithDbAsync(db => db.AgentConfigs.CountAsync(a => a.UserId == user, CancellationToken)));
    }

    [Fact]
    public async Task AnotherUsersAgent_OnEveryRoute_Answers404AndStaysIntact()
    {
        var owner = Host.ClientFor(NewUser());
        var agent = await owner.PostObjectAsync("/api/agents", new { templateId = "code-assistant" }, HttpStatusCode.Created);
        var id = agent["id"]!.GetValue<string>();
        var intruder = Host.ClientFor(NewUser());

        await intruder.ProblemAsync(HttpMethod.Get, $"/api/agents/{id}", null, HttpStatusCode.NotFound);
        await intruder.ProblemAsync(HttpMethod.Delete, $"/api/agents/{id}", null, HttpStatusCode.NotFound);
        var listed = await intruder.GetObjectAsync("/api/agents");

        Assert.Empty(listed["items"]!.AsArray());
        Assert.Equal(id, (await owner.GetObjectAsync($"/api/agents/{id}"))["id"]!.GetValue<string>());
        await Host.Letta(Instance).GetAgentAsync(agent["lettaAgentId"]!.GetValue<string>(), cancellationToken: CancellationToken);
    }

    [Fact]
    public async Task DeleteAgent_Owner_DeletesItInLettaAndPublishesAgentDeleted()
    {
        var user = NewUser();
        var client = Host.ClientFor(user);
        var agent = await client.PostObjectAsync("/api/agents", new { templateId = "task-manager" }, HttpStatusCode.Created);
        var id = agent["id"]!.GetValue<string>();

        await client.SendAsync(HttpMethod.Delete, $"/api/agents/{id}", null, HttpStatusCode.NoContent);

        await client.ProblemAsync(HttpMethod.Get, $"/api/agents/{id}", null, HttpStatusCode.NotFound);
        await Assert.ThrowsAsync<LettaNotFoundException>(() =>
            Host.Letta(Instance).GetAgentAsync(agent["lettaAgentId"]!.GetValue<string>(), cancellationToken: CancellationToken));
        var deleted = (await Host.OutboxBodiesAsync<AgentDeleted>())
            .Select(body => JsonSerializer.Deserialize<AgentDeleted>(body, JsonSerializerOptions.Web)!)
            .Single(d => d.UserId == user);
        Assert.Equal(Guid.Parse(id), deleted.AgentId);
    }

    [Fact]
    public async Task ListAgents_MoreThanOnePage_FollowsTheCursorToEveryAgentOnce()
    {
        var client = Host.ClientFor(NewUser());
        foreach (var project in new[] { "a", "b", "c" })
        {
            await client.PostObjectAsync("/api/agents", new { templateId = "task-manager", projectId = project }, HttpStatusCode.Created);
        }

        var first = await client.GetObjectAsync("/api/agents?limit=2");
        var second = await client.GetObjectAsync($"/api/agents?limit=2&cursor={first["nextCursor"]!.GetValue<string>()}");

        Assert.Equal(2, first["items"]!.AsArray().Count);
        Assert.Single(second["items"]!.AsArray());
        Assert.Null(second["nextCursor"]);
        Assert.Equal(
            ["a", "b", "c"],
            first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(a => a!["projectId"]!.GetValue<string>()).Order());
        await client.ProblemAsync(HttpMethod.Get, "/api/agents?limit=500", null, HttpStatusCode.BadRequest);
        await client.ProblemAsync(HttpMethod.Get, "/api/agents?cursor=not-a-cursor", null, HttpStatusCode.BadRequest);
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), System.Text.Encoding.UTF8, "application/json");
}
