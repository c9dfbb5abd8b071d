using System.Text.Json.Nodes;
using LettaPlatform.ToolExecution.Api.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LettaPlatform.ToolExecution.Api.Apis;

public sealed record ToolDto(string Name, string Description, JsonNode Parameters, string Risk, bool RequiresApproval);

public static class ToolsApi
{
    public static IEndpointRouteBuilder MapToolsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tools", ListTools).WithName("ListTools").WithTags("Tools")
            .WithSummary("List the tools agents can call")
            .WithDescription("Each tool's name, description, parameters (a JSON Schema), risk (`read`, `write`, `destructive`) and whether "
                + "a person must approve a call before it runs.");
        return app;
    }

    public static Ok<ToolDto[]> ListTools() =>
        TypedResults.Ok(ToolDefinitions.All.Select(t => new ToolDto(t.Name, t.Description, t.Parameters, t.Risk, t.RequiresApproval)).ToArray());
}
