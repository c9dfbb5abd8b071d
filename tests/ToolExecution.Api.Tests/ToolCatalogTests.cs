using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ToolExecution.Api.Tests.TestHost;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static LettaPlatform.ToolExecution.Api.Tests.TestHost.ToolExecutionHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

public sealed class ToolCatalogTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    private static readonly string[] ToolNames =
    [
        "ask_agent", "break_down_task", "create_pull_request", "create_task", "get_pull_request", "get_repository_info", "list_pull_requests", "post_pull_request_review",
        "propose_documentation_change", "query_tasks", "read_repository_contents", "read_repository_docs", "task_progress_report", "update_task",
    ];

    private static readonly string[] ApprovalTools = ["create_pull_request", "post_pull_request_review", "propose_documentation_change"];

    [Fact]
    public async Task GetTools_ListsTheToolsWithSchemasRiskAndPolicy()
    {
        using var client = service.CreateClientFor(NewUser());

        var tools = (await client.GetFromJsonAsync<JsonArray>("/api/tools", TestContext.Current.CancellationToken))!;

        Assert.Equal(ToolNames, tools.Select(t => t!["name"]!.GetValue<string>()).Order());
        var pullRequest = tools.Single(t => t!["name"]!.GetValue<string>() == "create_pull_request")!;
        Assert.True(pullRequest["requiresApproval"]!.GetValue<bool>());
        Assert.Equal("write", pullRequest["risk"]!.GetValue<string>());
        Assert.Equal("object", pullRequest["parameters"]!["type"]!.GetValue<string>());
        Assert.Contains("untrusted_text", pullRequest["description"]!.GetValue<string>());
        Assert.All(tools, t => Assert.Equal(ApprovalTools.Contains(t!["name"]!.GetValue<string>()), t!["requiresApproval"]!.GetValue<bool>()));
        Assert.All(tools.Where(t => t!["requiresApproval"]!.GetValue<bool>()), t => Assert.Equal("write", t!["risk"]!.GetValue<string>()));
    }

    [Fact]
    public async Task GetToolCatalog_OverTheBus_AnswersTheSameCatalog()
    {
        var client = service.Services.GetRequiredService<IBus>()
            .CreateRequestClient<GetToolCatalog>(service.Queues.Address(ToolExecutionQueues.GetToolCatalog), RequestTimeout.After(s: 30));

        var catalog = (await client.GetResponse<ToolCatalog>(new GetToolCatalog(), TestContext.Current.CancellationToken)).Message;

        Assert.Equal(ToolNames, catalog.Tools.Select(t => t.Name).Order());
        var repository = catalog.Tools.Single(t => t.Name == "get_repository_info");
        Assert.Equal(("read", false), (repository.Risk, repository.RequiresApproval));
        Assert.Equal("repository", JsonNode.Parse(repository.ParametersJson)!["required"]![0]!.GetValue<string>());
        Assert.Equal(ToolPreviewKinds.Diff, Assert.Single(catalog.Tools, t => t.Preview is not null).Preview);
        Assert.Equal("propose_documentation_change", Assert.Single(catalog.Tools, t => t.Preview is not null).Name);
    }

    [Fact]
    public async Task OpenApiDocument_IsAnonymousAndDescribesTheRoutes()
    {
        using var client = service.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.All(["/api/tools", "/api/tasks", "/api/tasks/{id}", "/api/tool-executions", "/api/integrations/github"],
            path => Assert.Contains($"\"{path}\"", document));
    }
}
