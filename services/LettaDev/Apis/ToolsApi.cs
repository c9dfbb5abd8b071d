using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Engine;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Apis;

public static class ToolsApi
{
    public static IEndpointRouteBuilder MapToolsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/tools").WithTags("Tools");
        api.MapGet("/", ListTools).WithName("ListTools")
            .WithSummary("List tools")
            .WithDescription("Filtered by `name`, `names`, `tool_types` and `search`; paged with `before`, `after`, `limit` and `order` (default "
                + "`desc`).");
        api.MapPost("/", CreateTool).WithName("CreateTool")
            .WithSummary("Create a tool")
            .WithDescription("Stored with its `json_schema` (or a schema named after the first `def` in `source_code`); no Python runs here, so "
                + "calling it fails unless it needs approval or is a client tool. 409 when a tool of that name exists.");
        api.MapPut("/", UpsertTool).WithName("UpsertTool")
            .WithSummary("Create or replace a tool")
            .WithDescription("Like create, but a tool of the same name is replaced (400 for a base tool).");
        api.MapGet("/{tool_id}", GetTool).WithName("RetrieveTool")
            .WithSummary("Get a tool")
            .WithDescription("404 for an unknown id, 422 for a malformed one.");
        api.MapPatch("/{tool_id}", ModifyTool).WithName("ModifyTool")
            .WithSummary("Change a tool")
            .WithDescription("Sparse: only the fields sent change.");
        api.MapDelete("/{tool_id}", DeleteTool).WithName("DeleteTool")
            .WithSummary("Delete a tool")
            .WithDescription("Also detaches it from every agent.");
        return app;
    }

    public static Ok<IReadOnlyList<JsonObject>> ListTools(HttpRequest request, ToolStore tools)
    {
        var filter = new ToolFilter(request.Query["name"].FirstOrDefault(), Query.Many(request, "names") ?? [],
            Query.Many(request, "tool_types") ?? [], request.Query["search"].FirstOrDefault());
        return TypedResults.Ok<IReadOnlyList<JsonObject>>([.. tools.List(filter, PageQuery.From(request, 50, "desc")).Select(Views.Tool)]);
    }

    public static Ok<JsonObject> CreateTool(JsonObject body, ToolStore tools) => TypedResults.Ok(Views.Tool(tools.Create(NewTool.From(body), upsert: false)));

    public static Ok<JsonObject> UpsertTool(JsonObject body, ToolStore tools) => TypedResults.Ok(Views.Tool(tools.Create(NewTool.From(body), upsert: true)));

    public static Ok<JsonObject> GetTool(string tool_id, ToolStore tools) => TypedResults.Ok(Views.Tool(tools.Get(tool_id)));

    public static Ok<JsonObject> ModifyTool(string tool_id, JsonObject body, ToolStore tools) =>
        TypedResults.Ok(Views.Tool(tools.Modify(tool_id, ToolChanges.From(body))));

    public static Ok<JsonObject> DeleteTool(string tool_id, ToolStore tools, AgentStore agents)
    {
        tools.Delete(tool_id);
        agents.UnlinkTool(tool_id);
        return TypedResults.Ok(new JsonObject { ["message"] = $"Tool id={tool_id} successfully deleted" });
    }
}
