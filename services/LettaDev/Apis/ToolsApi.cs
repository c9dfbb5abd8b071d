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

    public static Ok<IReadOnlyList<JsonObject>> ListTools(HttpRequest request, DevStore store) =>
        TypedResults.Ok(store.ListTools(
            new DevStore.ToolFilter(request.Query["name"].FirstOrDefault(), Query.Many(request, "names") ?? [],
                Query.Many(request, "tool_types") ?? [], request.Query["search"].FirstOrDefault()),
            PageQuery.From(request, 50, "desc")));

    public static Ok<JsonObject> CreateTool(JsonObject body, DevStore store) => TypedResults.Ok(store.CreateTool(body, upsert: false));

    public static Ok<JsonObject> UpsertTool(JsonObject body, DevStore store) => TypedResults.Ok(store.CreateTool(body, upsert: true));

    public static Ok<JsonObject> GetTool(string tool_id, DevStore store) => TypedResults.Ok(store.GetTool(tool_id));

    public static Ok<JsonObject> ModifyTool(string tool_id, JsonObject body, DevStore store) => TypedResults.Ok(store.ModifyTool(tool_id, body));

    public static Ok<JsonObject> DeleteTool(string tool_id, DevStore store)
    {
        store.DeleteTool(tool_id);
        return TypedResults.Ok(new JsonObject { ["message"] = $"Tool id={tool_id} successfully deleted" });
    }
}
