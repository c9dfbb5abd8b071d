using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Engine;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Apis;

public static class ToolsApi
{
    public static IEndpointRouteBuilder MapToolsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/tools").WithTags("Tools");
        api.MapGet("/", ListTools).WithName("ListTools");
        api.MapPost("/", CreateTool).WithName("CreateTool");
        api.MapPut("/", UpsertTool).WithName("UpsertTool");
        api.MapGet("/{tool_id}", GetTool).WithName("RetrieveTool");
        api.MapPatch("/{tool_id}", ModifyTool).WithName("ModifyTool");
        api.MapDelete("/{tool_id}", DeleteTool).WithName("DeleteTool");
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
