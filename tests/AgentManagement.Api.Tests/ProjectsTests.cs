using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LettaPlatform.AgentManagement.Api.Tests.TestHost;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Letta;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Tests;

/// <summary>Projects: the agents a person makes for one of their projects share one <c>project_context</c> block in Letta.</summary>
public sealed class ProjectsTests(InfrastructureFixture infrastructure, LettaDevServer lettaDev) : SingleInstanceTests(infrastructure, lettaDev)
{
    private async Task<JsonObject> CreateProjectAsync(string user, string name, string? repository = null) =>
        await Host.ClientFor(user).PostObjectAsync("/api/projects", new { name, repository }, HttpStatusCode.Created);

    private async Task<JsonObject> CreateAgentAsync(string user, string templateId, string projectId, HttpStatusCode expected = HttpStatusCode.Created) =>
        await Host.ClientFor(user).PostObjectAsync("/api/agents", new { templateId, projectId }, expected);

    private async Task<LettaBlock> ProjectContextOfAsync(string lettaAgentId) =>
        (await Host.Letta(Instance).ListAgentBlocksAsync(lettaAgentId, CancellationToken)).Single(b => b.Label == "project_context");

    private async Task<AgentResolved> ResolvedAsync(ResolveAgent request)
    {
        var response = await Host.ResolveAsync(request);
        Assert.True(response.Is(out Response<AgentResolved>? resolved), $"Expected AgentResolved, got {response.Message}");
        return resolved!.Message;
    }

    [Fact]
    public async Task CreateProject_Answers201_AndListAndGetShowIt()
    {
        var user = NewUser();

        var created = await CreateProjectAsync(user, "  Apollo  ", "octo/apollo");
        var listed = await Host.ClientFor(user).GetObjectAsync("/api/projects");
        var fetched = await Host.ClientFor(user).GetObjectAsync($"/api/projects/{created["id"]}");

        Assert.Equal(("Apollo", "octo/apollo", "project_context"), (created["name"]!.GetValue<string>(), created["repository"]!.GetValue<string>(), created["sharedBlockLabel"]!.GetValue<string>()));
        Assert.Null(created["lettaInstance"]);
        Assert.Equal(created["id"]!.GetValue<string>(), Assert.Single(listed["items"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Empty(fetched["agents"]!.AsArray());
        Assert.Null(fetched["sharedBlock"]!["lettaBlockId"]);
        Assert.Equal($"/api/memory/projects/{created["id"]}/blocks/project_context", fetched["sharedBlock"]!["memoryPath"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("   ", "name")]
    [InlineData("line\nbreak", "name")]
    [InlineData("x", "repository", "not a repository")]
    [InlineData("x", "repository", "owner/name/extra")]
    public async Task CreateProject_BadInput_Answers400AndStoresNothing(string name, string field, string? repository = null)
    {
        var user = NewUser();

        var problem = await Host.ClientFor(user).ProblemAsync(HttpMethod.Post, "/api/projects", new { name, repository }, HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", problem["code"]!.GetValue<string>());
        Assert.Contains(problem["errors"]!.AsObject(), e => e.Key.Equals(field, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, await Host.WithDbAsync(db => db.Projects.CountAsync(p => p.UserId == user, CancellationToken)));
    }

    [Fact]
    public async Task CreateProject_NameTooLongOrHoldingNul_Answers400()
    {
        var client = Host.ClientFor(NewUser());

        var tooLong = await client.ProblemAsync(HttpMethod.Post, "/api/projects", new { name = new string('a', 101) }, HttpStatusCode.BadRequest);
        var nul = await client.ProblemAsync(HttpMethod.Post, "/api/projects", new { name = "a\0b" }, HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", tooLong["code"]!.GetValue<string>());
        Assert.Equal("unstorable_text", nul["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateProject_SameNameTwice_Answers409_ButAnotherPersonMayUseIt()
    {
        var user = NewUser();
        await CreateProjectAsync(user, "Apollo");

        var again = await Host.ClientFor(user).ProblemAsync(HttpMethod.Post, "/api/projects", new { name = "Apollo" }, HttpStatusCode.Conflict);
        var someoneElse = await CreateProjectAsync(NewUser(), "Apollo");

        Assert.Equal("project_name_taken", again["code"]!.GetValue<string>());
        Assert.Equal("Apollo", someoneElse["name"]!.GetValue<string>());
        Assert.Equal(1, await Host.WithDbAsync(db => db.Projects.CountAsync(p => p.UserId == user, CancellationToken)));
    }

    [Fact]
    public async Task AnotherPersonsProject_IsNotFound_NotListed_AndItsIdGivesTheirAgentNoShare()
    {
        var owner = NewUser();
        var stranger = NewUser();
        var project = await CreateProjectAsync(owner, "Secret");
        var projectId = project["id"]!.GetValue<string>();
        var ownerAgent = await CreateAgentAsync(owner, "code-assistant", projectId);

        var notFound = await Host.ClientFor(stranger).ProblemAsync(HttpMethod.Get, $"/api/projects/{projectId}", null, HttpStatusCode.NotFound);
        var strangerList = await Host.ClientFor(stranger).GetObjectAsync("/api/projects");
        var strangerAgent = await CreateAgentAsync(stranger, "code-assistant", projectId);

        Assert.Equal("project_not_found", notFound["code"]!.GetValue<string>());
        Assert.DoesNotContain("Secret", notFound.ToJsonString());
        Assert.Empty(strangerList["items"]!.AsArray());
        // The stranger's agent gets a project_context of its own, never the owner's block.
        var ownerBlock = await ProjectContextOfAsync(ownerAgent["lettaAgentId"]!.GetValue<string>());
        var strangerBlock = await ProjectContextOfAsync(strangerAgent["lettaAgentId"]!.GetValue<string>());
        Assert.NotEqual(ownerBlock.Id, strangerBlock.Id);
        var details = await Host.ClientFor(owner).GetObjectAsync($"/api/projects/{projectId}");
        Assert.Equal([ownerAgent["id"]!.GetValue<string>()], details["agents"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AgentsOfAProject_HoldOneSharedBlock_AnEditThroughOneIsWhatTheOtherReads()
    {
        var user = NewUser();
        var project = await CreateProjectAsync(user, "Apollo", "octo/apollo");
        var projectId = project["id"]!.GetValue<string>();

        var coder = await CreateAgentAsync(user, "code-assistant", projectId);
        // Any spelling of the project's id names the same project.
        var planner = await CreateAgentAsync(user, "task-manager", projectId.ToUpperInvariant());
        var coderBlock = await ProjectContextOfAsync(coder["lettaAgentId"]!.GetValue<string>());
        var plannerBlock = await ProjectContextOfAsync(planner["lettaAgentId"]!.GetValue<string>());

        Assert.Equal(coderBlock.Id, plannerBlock.Id);
        Assert.Equal("Project: Apollo\nRepository: octo/apollo", coderBlock.Value);
        Assert.Equal(projectId, planner["projectId"]!.GetValue<string>());
        var holders = await Host.Letta(Instance).ListAgentsForBlockAsync(coderBlock.Id, cancellationToken: CancellationToken);
        Assert.Equal(new[] { coder["lettaAgentId"]!.GetValue<string>(), planner["lettaAgentId"]!.GetValue<string>() }.Order(), holders.Select(a => a.Id).Order());

        await Host.Letta(Instance).ModifyAgentBlockAsync(coder["lettaAgentId"]!.GetValue<string>(), "project_context", new BlockUpdate { Value = "Project: Apollo\nWe ship on Fridays." }, CancellationToken);
        Assert.Equal("Project: Apollo\nWe ship on Fridays.", (await ProjectContextOfAsync(planner["lettaAgentId"]!.GetValue<string>())).Value);

        var details = await Host.ClientFor(user).GetObjectAsync($"/api/projects/{projectId}");
        Assert.Equal(coderBlock.Id, details["sharedBlock"]!["lettaBlockId"]!.GetValue<string>());
        Assert.Equal(Instance, details["lettaInstance"]!.GetValue<string>());
        Assert.Equal(
            [(coder["id"]!.GetValue<string>(), "code-assistant", true), (planner["id"]!.GetValue<string>(), "task-manager", true)],
            details["agents"]!.AsArray().Select(a => (a!["id"]!.GetValue<string>(), a["templateId"]!.GetValue<string>(), a["sharesProjectContext"]!.GetValue<bool>())));

        // memory-sync hears which block is shared, so it versions it once, on the project.
        var provisioned = (await Host.OutboxBodiesAsync<AgentProvisioned>())
            .Select(body => JsonSerializer.Deserialize<AgentProvisioned>(body, JsonSerializerOptions.Web)!)
            .Where(p => p.UserId == user).ToList();
        Assert.Equal(2, provisioned.Count);
        Assert.All(provisioned, p => Assert.Equal((Guid.Parse(projectId), "project_context", coderBlock.Id), (p.ProjectBlock!.ProjectId, p.ProjectBlock.Label, p.ProjectBlock.LettaBlockId)));
    }

    [Fact]
    public async Task AgentOfAProject_LostByLetta_IsRecreatedHoldingTheSameSharedBlock()
    {
        var user = NewUser();
        var projectId = (await CreateProjectAsync(user, "Apollo"))["id"]!.GetValue<string>();
        var first = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "code-assistant", ProjectId = projectId });
        var other = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "documentation", ProjectId = projectId });
        var shared = await ProjectContextOfAsync(first.LettaAgentId);
        await Host.Letta(Instance).ModifyBlockAsync(shared.Id, new BlockUpdate { Value = "Edited by the other agent." }, CancellationToken);
        Host.MemorySync.Remember(first.AgentId,
            new AgentMemoryBlock { Label = "human", Value = "Sam.", Limit = 5000, Version = 2 },
            new AgentMemoryBlock { Label = "project_context", Value = "Edited by the other agent.", Limit = 5000, Version = 2 });
        await Host.Letta(Instance).DeleteAgentAsync(first.LettaAgentId, CancellationToken);

        var recreated = await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = first.AgentId, LettaAgentMissing = true });

        Assert.NotEqual(first.LettaAgentId, recreated.LettaAgentId);
        var blocks = await Host.Letta(Instance).ListAgentBlocksAsync(recreated.LettaAgentId, CancellationToken);
        Assert.Equal(shared.Id, Assert.Single(blocks, b => b.Label == "project_context").Id);
        Assert.Equal("Sam.", blocks.Single(b => b.Label == "human").Value);
        Assert.Equal(shared.Id, (await ProjectContextOfAsync(other.LettaAgentId)).Id);
        Assert.Equal("Edited by the other agent.", (await Host.Letta(Instance).GetBlockAsync(shared.Id, CancellationToken)).Value);
        var migrated = (await Host.OutboxBodiesAsync<AgentMigrated>())
            .Select(body => JsonSerializer.Deserialize<AgentMigrated>(body, JsonSerializerOptions.Web)!)
            .Single(m => m.AgentId == first.AgentId);
        Assert.Equal(shared.Id, migrated.ProjectBlock!.LettaBlockId);
        // The shared block is the project's in memory-sync: the re-created agent was not made with a version of it.
        Assert.Equal([("human", 2)], migrated.CreatedWithMemory!.Select(b => (b.Label, b.Version)));
    }

    [Fact]
    public async Task SharedBlockLostByLetta_IsMadeAgainFromMemorySyncsLatestValue()
    {
        var user = NewUser();
        var projectId = (await CreateProjectAsync(user, "Apollo"))["id"]!.GetValue<string>();
        var first = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "task-manager", ProjectId = projectId });
        var lost = await ProjectContextOfAsync(first.LettaAgentId);
        Host.MemorySync.Remember(first.AgentId, new AgentMemoryBlock { Label = "project_context", Value = "Kept by memory-sync.", Limit = 5000, Version = 4 });
        await Host.Letta(Instance).DeleteAgentAsync(first.LettaAgentId, CancellationToken);
        await Host.Letta(Instance).DeleteBlockAsync(lost.Id, CancellationToken);

        var recreated = await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = first.AgentId, LettaAgentMissing = true });

        var block = await ProjectContextOfAsync(recreated.LettaAgentId);
        Assert.NotEqual(lost.Id, block.Id);
        Assert.Equal("Kept by memory-sync.", block.Value);
        Assert.Equal(block.Id, (await Host.ClientFor(user).GetObjectAsync($"/api/projects/{projectId}"))["sharedBlock"]!["lettaBlockId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ArchivedAgentOfAProject_IsRestoredHoldingTheSharedBlock_NotTheCopyInItsAgentFile()
    {
        var user = NewUser();
        var projectId = (await CreateProjectAsync(user, "Apollo"))["id"]!.GetValue<string>();
        var agent = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "code-assistant", ProjectId = projectId });
        var other = await ResolvedAsync(new ResolveAgent { UserId = user, TemplateId = "task-manager", ProjectId = projectId });
        var shared = await ProjectContextOfAsync(agent.LettaAgentId);
        await Host.ClientFor(user).PostObjectAsync($"/api/agents/{agent.AgentId}/archive", null, HttpStatusCode.OK);

        // While it is archived, the other agent of the project writes to the shared block.
        await Host.Letta(Instance).ModifyAgentBlockAsync(other.LettaAgentId, "project_context", new BlockUpdate { Value = "Written while archived." }, CancellationToken);
        var restored = await ResolvedAsync(new ResolveAgent { UserId = user, AgentId = agent.AgentId });

        var block = await ProjectContextOfAsync(restored.LettaAgentId);
        Assert.Equal((shared.Id, "Written while archived."), (block.Id, block.Value));
        Assert.Equal(2, (await Host.Letta(Instance).ListAgentsForBlockAsync(shared.Id, cancellationToken: CancellationToken)).Count);
    }

    [Fact]
    public async Task MovingAnAgentOfAProject_IsRefused()
    {
        var user = NewUser();
        var projectId = (await CreateProjectAsync(user, "Apollo"))["id"]!.GetValue<string>();
        var agent = await CreateAgentAsync(user, "task-manager", projectId);

        var problem = await Host.ClientFor("admin", admin: true)
            .ProblemAsync(HttpMethod.Post, $"/api/agents/{agent["id"]}/move", new { targetInstance = Instance }, HttpStatusCode.BadRequest);

        Assert.Contains("project", problem.ToJsonString());
    }
}
