using LettaPlatform.AgentManagement.Api.Data;
using System.Net;
using System.Text.Json.Nodes;
using LettaPlatform.AgentManagement.Api.Tests.TestHost;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Tests;

public sealed class TemplatesApiTests(InfrastructureFixture infrastructure, LettaDevServer lettaDev) : SingleInstanceTests(infrastructure, lettaDev)
{
    [Fact]
    public async Task ListTemplates_Seeded_ReturnsThreeTemplatesWithToolsBlocksAndApprovalPolicy()
    {
        var templates = (await Host.ClientFor("alice").SendAsync(HttpMethod.Get, "/api/templates", null, HttpStatusCode.OK))!.AsArray();

        Assert.Equal(["code-assistant", "documentation", "task-manager"], templates.Select(t => t!["id"]!.GetValue<string>()));
        var code = templates.Single(t => t!["id"]!.GetValue<string>() == "code-assistant")!;
        // A new platform has no agents, so the seeded version 2 of the code assistant is active at once.
        Assert.Equal((2, 2), (code["version"]!.GetValue<int>(), code["latestVersion"]!.GetValue<int>()));
        Assert.Equal(
            ["query_tasks", "create_task", "update_task", "get_repository_info", "create_pull_request",
             "read_repository_contents", "list_pull_requests", "get_pull_request", "post_pull_request_review"],
            code["tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(["persona", "review_checklist", "human", "preferences", "project_context"], code["blocks"]!.AsArray().Select(b => b!.GetValue<string>()));
        var approvals = code["toolPolicies"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["requiresApproval"]!.GetValue<bool>());
        Assert.True(approvals["create_pull_request"]);
        Assert.True(approvals["post_pull_request_review"]);
        Assert.False(approvals["query_tasks"]);
        Assert.False(approvals["get_pull_request"]);

        var tasks = templates.Single(t => t!["id"]!.GetValue<string>() == "task-manager")!;
        Assert.Equal(["query_tasks", "create_task", "update_task"], tasks["tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        var docs = templates.Single(t => t!["id"]!.GetValue<string>() == "documentation")!;
        Assert.Equal(2, docs["version"]!.GetValue<int>());
        Assert.Equal(
            ["get_repository_info", "query_tasks", "create_task", "update_task", "read_repository_docs", "read_repository_contents", "propose_documentation_change"],
            docs["tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.DoesNotContain("create_pull_request", docs["tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.True(docs["toolPolicies"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "propose_documentation_change")!["requiresApproval"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ListTemplates_WithoutToken_Answers401Problem()
    {
        var problem = await Host.CreateClient().ProblemAsync(HttpMethod.Get, "/api/templates", null, HttpStatusCode.Unauthorized);

        Assert.Equal("Unauthorized", problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task PublishVersion_AsAdmin_CreatesNextVersionWithoutChangingTheActiveOne()
    {
        var admin = Host.ClientFor("root", admin: true);

        var published = await admin.PostObjectAsync("/api/templates/task-manager/versions", NewVersion("You are the task manager, version two."), HttpStatusCode.Created);

        // The versions the platform ships come first (see TemplateSeed).
        var next = TemplateSeed.Versions.Count(v => v.TemplateId == TemplateSeed.TaskManager) + 1;
        Assert.Equal(next, published["version"]!.GetValue<int>());
        Assert.Equal("root", published["publishedBy"]!.GetValue<string>());
        var listed = (await admin.SendAsync(HttpMethod.Get, "/api/templates", null, HttpStatusCode.OK))!.AsArray()
            .Single(t => t!["id"]!.GetValue<string>() == "task-manager")!;
        Assert.Equal(1, listed["version"]!.GetValue<int>());
        Assert.Equal(next, listed["latestVersion"]!.GetValue<int>());
        var fetched = await admin.GetObjectAsync($"/api/templates/task-manager/versions/{next}");
        Assert.Equal("You are the task manager, version two.", fetched["systemPrompt"]!.GetValue<string>());
    }

    [Fact]
    public async Task PublishVersion_AsOrdinaryUser_Answers403AndPublishesNothing()
    {
        await Host.ClientFor("mallory").ProblemAsync(HttpMethod.Post, "/api/templates/documentation/versions", NewVersion("Hijacked."), HttpStatusCode.Forbidden);

        Assert.Equal(Seeded("documentation"), await Host.WithDbAsync(db => db.TemplateVersions.CountAsync(v => v.TemplateId == "documentation")));
    }

    [Fact]
    public async Task PublishVersion_WithInvalidBody_AnswersValidationProblemWithFieldsAndPublishesNothing()
    {
        var body = new
        {
            systemPrompt = "",
            blocks = new[] { new { label = "Bad Label!", value = "x" }, new { label = "human", value = "y" } },
            tools = new[] { new { name = "rm_rf", requiresApproval = false } },
        };

        var problem = await Host.ClientFor("root", admin: true)
            .ProblemAsync(HttpMethod.Post, "/api/templates/code-assistant/versions", body, HttpStatusCode.BadRequest);

        var errors = problem["errors"]!.AsObject();
        Assert.Contains("systemPrompt", errors.Select(e => e.Key));
        Assert.Contains("blocks[0].label", errors.Select(e => e.Key));
        Assert.Contains("tools[0].name", errors.Select(e => e.Key));
        Assert.Equal(Seeded("code-assistant"), await Host.WithDbAsync(db => db.TemplateVersions.CountAsync(v => v.TemplateId == "code-assistant")));
    }

    [Theory]
    [InlineData("""{"systemPrompt":"p","blocks":[{"label":"human","value":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","limit":100}],"tools":[]}""", "blocks[0].value")]
    [InlineData("""{"systemPrompt":"p","blocks":[{"label":"human","limit":99}],"tools":[]}""", "blocks[0].limit")]
    [InlineData("""{"systemPrompt":"p","blocks":[{"label":"human"},{"label":"human"}],"tools":[]}""", "blocks")]
    [InlineData("""{"systemPrompt":"p","blocks":[{"label":"human"}],"tools":[],"tags":[" "]}""", "tags")]
    [InlineData("""{"systemPrompt":"p","blocks":[{"label":"human"}]}""", "tools")]
    public async Task PublishVersion_BreakingARuleDeclaredOnTheRequest_AnswersValidationFailedNamingTheFieldAndPublishesNothing(string body, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/templates/documentation/versions")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await Host.ClientFor("root", admin: true).SendAsync(request, TestContext.Current.CancellationToken);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("validation_failed", "The request is not valid"), (problem["code"]!.GetValue<string>(), problem["title"]!.GetValue<string>()));
        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(Seeded("documentation"), await Host.WithDbAsync(db => db.TemplateVersions.CountAsync(v => v.TemplateId == "documentation")));
    }

    [Fact]
    public async Task PublishVersion_UnknownTemplate_Answers404Problem()
    {
        await Host.ClientFor("root", admin: true).ProblemAsync(HttpMethod.Post, "/api/templates/astrologer/versions", NewVersion("Stars."), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OpenApiDocument_Anonymous_DescribesTheTemplateAndAgentRoutes()
    {
        var document = await Host.CreateClient().GetObjectAsync("/openapi/v1.json");

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/templates", paths);
        Assert.Contains("/api/agents", paths);
        Assert.Contains("/api/agents/{id}/move", paths);
        Assert.Contains("/api/templates/{id}/rollouts/{rolloutId}/rollback", paths);
    }

    /// <summary>How many versions of a template the platform seeds.</summary>
    private static int Seeded(string templateId) => Data.TemplateSeed.Versions.Count(v => v.TemplateId == templateId);

    internal static object NewVersion(string systemPrompt, params string[] extraBlocks) => new
    {
        systemPrompt,
        blocks = new[]
            {
                new JsonObject { ["label"] = "persona", ["value"] = "I am version two." },
                new JsonObject { ["label"] = "human", ["value"] = "Template default for human." },
                new JsonObject { ["label"] = "preferences", ["value"] = "Template default for preferences." },
            }
            .Concat(extraBlocks.Select(label => new JsonObject { ["label"] = label, ["value"] = $"New block {label}." }))
            .ToArray(),
        tools = new[] { new { name = "query_tasks", requiresApproval = false }, new { name = "create_task", requiresApproval = true } },
    };
}
