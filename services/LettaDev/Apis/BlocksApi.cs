using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Engine;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Apis;

public static class BlocksApi
{
    public static IEndpointRouteBuilder MapBlocksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/blocks").WithTags("Blocks");
        api.MapPost("/", CreateBlock).WithName("CreateBlock")
            .WithSummary("Create a block")
            .WithDescription("A standalone block that agents can attach; `limit` is stored but not enforced.");
        api.MapGet("/", ListBlocks).WithName("ListBlocks")
            .WithSummary("List blocks")
            .WithDescription("Filtered by `label`, `tags` (with `match_all_tags`), `value_search` and `label_search`; paged with `before`, `after`, "
                + "`limit` and `order` (default `asc`).");
        api.MapGet("/count", CountBlocks).WithName("CountBlocks")
            .WithSummary("Count blocks")
            .WithDescription("How many blocks match the same filters as the list.");
        api.MapGet("/{block_id}", GetBlock).WithName("RetrieveBlock")
            .WithSummary("Get a block")
            .WithDescription("404 for an unknown id, 422 for a malformed one.");
        api.MapPatch("/{block_id}", ModifyBlock).WithName("ModifyBlock")
            .WithSummary("Change a block")
            .WithDescription("Sparse: only the fields sent change; every agent sharing the block sees it. The last write wins.");
        api.MapDelete("/{block_id}", DeleteBlock).WithName("DeleteBlock")
            .WithSummary("Delete a block")
            .WithDescription("Also detaches it from every agent.");
        api.MapGet("/{block_id}/agents", ListAgentsForBlock).WithName("ListAgentsForBlock")
            .WithSummary("List the agents a block is attached to")
            .WithDescription("Paged with `before`, `after`, `limit` and `order` (default `desc`); relations filled when `include` names them.");
        return app;
    }

    public static Ok<JsonObject> CreateBlock(JsonObject body, BlockStore blocks) => TypedResults.Ok(Views.Block(blocks.Create(BlockFields.ForCreate(body))));

    public static Ok<IReadOnlyList<JsonObject>> ListBlocks(HttpRequest request, BlockStore blocks) =>
        TypedResults.Ok<IReadOnlyList<JsonObject>>([.. blocks.List(Filter(request), PageQuery.From(request, 50, "asc")).Select(Views.Block)]);

    public static Ok<int> CountBlocks(HttpRequest request, BlockStore blocks) => TypedResults.Ok(blocks.Count(Filter(request)));

    private static BlockFilter Filter(HttpRequest request) => new(
        request.Query["label"].FirstOrDefault(),
        Query.Many(request, "tags") ?? [],
        Query.Flag(request, "match_all_tags"),
        request.Query["value_search"].FirstOrDefault(),
        request.Query["label_search"].FirstOrDefault());

    public static Ok<JsonObject> GetBlock(string block_id, BlockStore blocks) => TypedResults.Ok(Views.Block(blocks.Get(block_id)));

    public static Ok<JsonObject> ModifyBlock(string block_id, JsonObject body, BlockStore blocks) =>
        TypedResults.Ok(Views.Block(blocks.Modify(block_id, BlockFields.From(body))));

    public static Ok<JsonObject> DeleteBlock(string block_id, BlockStore blocks, AgentStore agents)
    {
        blocks.Delete(block_id);
        agents.UnlinkBlock(block_id);
        return TypedResults.Ok(new JsonObject { ["message"] = $"Block id={block_id} successfully deleted" });
    }

    public static Ok<IReadOnlyList<JsonObject>> ListAgentsForBlock(string block_id, HttpRequest request, AgentStore agents)
    {
        var linked = agents.ListForBlock(block_id, PageQuery.From(request, 50, "desc"));
        var relations = Query.Many(request, "include") is { } include ? AgentRelations.From(include) : AgentRelations.From([]);
        return TypedResults.Ok<IReadOnlyList<JsonObject>>([.. linked.Select(a => Views.Agent(a, relations))]);
    }
}
