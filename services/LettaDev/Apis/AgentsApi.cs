using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Engine;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Apis;

public static class AgentsApi
{
    public static IEndpointRouteBuilder MapAgentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/agents").WithTags("Agents");
        api.MapPost("/", CreateAgent).WithName("CreateAgent")
            .WithSummary("Create an agent")
            .WithDescription("Creates an agent from `memory_blocks`, `block_ids`, `tools` (names), `tool_ids`, `tags`, `system` and the rest of "
                + "Letta's fields, with the base tools unless `include_base_tools` is false; answers the full agent state.");
        api.MapGet("/", ListAgents).WithName("ListAgents")
            .WithSummary("List agents")
            .WithDescription("Filtered by `name`, `tags` (with `match_all_tags`), `query_text` and `last_stop_reason`; paged with `before`, `after`, "
                + "`limit` and `order` (default `desc`). Blocks, tools and tags are filled only when `include` names them, as Letta does "
                + "for v1 clients.");
        api.MapGet("/count", CountAgents).WithName("CountAgents")
            .WithSummary("Count agents")
            .WithDescription("How many agents match the same filters as the list.");
        api.MapPost("/import", ImportAgent).WithName("ImportAgent").DisableAntiforgery()
            .WithSummary("Import an Agent File")
            .WithDescription("Multipart field `file` holds an Agent File (as exported); creates the agent with fresh ids, reusing tools that exist "
                + "by name, and answers `{agent_ids}`. 415 when the body is not multipart.");
        api.MapGet("/{agent_id}", GetAgent).WithName("RetrieveAgent")
            .WithSummary("Get an agent")
            .WithDescription("The full agent state (relations narrowed by `include`). 404 for an unknown id, 422 for a malformed one.");
        api.MapPatch("/{agent_id}", ModifyAgent).WithName("ModifyAgent")
            .WithSummary("Change an agent")
            .WithDescription("Sparse: only the fields sent change. Answers the full agent state.");
        api.MapDelete("/{agent_id}", DeleteAgent).WithName("DeleteAgent")
            .WithSummary("Delete an agent")
            .WithDescription("Deletes the agent and its conversations; its blocks stay. This is also how a test simulates an agent that Letta lost.");
        api.MapGet("/{agent_id}/export", ExportAgent).WithName("ExportAgent")
            .WithSummary("Export an agent as an Agent File")
            .WithDescription("The Agent File as a JSON string, with file-local ids; `scrub_messages` leaves the messages out, `conversation_id` "
                + "exports that conversation's messages.");
        api.MapPost("/{agent_id}/export", ExportAgent).WithName("ExportAgentWithSkills")
            .WithSummary("Export an agent as an Agent File (POST)")
            .WithDescription("The same export as `GET …/export`, in the form Letta's newer clients send.");

        api.MapGet("/{agent_id}/core-memory", GetCoreMemory).WithName("RetrieveAgentMemory")
            .WithSummary("Get an agent's core memory")
            .WithDescription("The agent's `memory`: its blocks as the model sees them.");
        api.MapGet("/{agent_id}/core-memory/blocks", ListCoreMemoryBlocks).WithName("ListCoreMemoryBlocks")
            .WithSummary("List an agent's blocks")
            .WithDescription("Paged with `before`, `after`, `limit` and `order` (default `desc`).");
        api.MapGet("/{agent_id}/core-memory/blocks/{block_label}", GetCoreMemoryBlock).WithName("RetrieveCoreMemoryBlock")
            .WithSummary("Get an agent's block by label")
            .WithDescription("404 when the agent has no block with that label.");
        api.MapPatch("/{agent_id}/core-memory/blocks/{block_label}", ModifyCoreMemoryBlock).WithName("ModifyCoreMemoryBlock")
            .WithSummary("Change an agent's block by label")
            .WithDescription("Sparse update of the block; a block shared by several agents changes for all of them.");
        api.MapPatch("/{agent_id}/core-memory/blocks/attach/{block_id}", AttachBlock).WithName("AttachCoreMemoryBlock")
            .WithSummary("Attach a block to an agent")
            .WithDescription("Answers the full agent state.");
        api.MapPatch("/{agent_id}/core-memory/blocks/detach/{block_id}", DetachBlock).WithName("DetachCoreMemoryBlock")
            .WithSummary("Detach a block from an agent")
            .WithDescription("The block itself stays. Answers the full agent state.");

        api.MapGet("/{agent_id}/tools", ListAgentTools).WithName("ListToolsForAgent")
            .WithSummary("List an agent's tools")
            .WithDescription("Paged with `before`, `after`, `limit` and `order` (default `desc`).");
        api.MapPatch("/{agent_id}/tools/attach/{tool_id}", AttachTool).WithName("AttachToolToAgent")
            .WithSummary("Attach a tool to an agent")
            .WithDescription("A tool created with `default_requires_approval` needs approval on this agent. Answers the full agent state.");
        api.MapPatch("/{agent_id}/tools/detach/{tool_id}", DetachTool).WithName("DetachToolFromAgent")
            .WithSummary("Detach a tool from an agent")
            .WithDescription("Answers the full agent state.");
        api.MapPatch("/{agent_id}/tools/approval/{tool_name}", ModifyApproval).WithName("ModifyApprovalForTool")
            .WithSummary("Set whether a tool needs approval")
            .WithDescription("`requires_approval` (body or query) makes the agent stop with an approval request before calling the tool. Answers the "
                + "full agent state.");
        return app;
    }

    public static Ok<JsonObject> CreateAgent(JsonObject body, AgentStore agents) =>
        TypedResults.Ok(Views.Agent(agents.Create(NewAgent.From(body)), AgentRelations.All));

    public static Ok<IReadOnlyList<JsonObject>> ListAgents(HttpRequest request, AgentStore agents)
    {
        var listed = agents.List(Filter(request), PageQuery.From(request, 50, "desc"));
        var relations = Relations(request, AgentRelations.From([]));
        return TypedResults.Ok<IReadOnlyList<JsonObject>>([.. listed.Select(a => Views.Agent(a, relations))]);
    }

    public static Ok<int> CountAgents(HttpRequest request, AgentStore agents) => TypedResults.Ok(agents.Count(Filter(request)));

    private static AgentFilter Filter(HttpRequest request) => new(
        request.Query["name"].FirstOrDefault(),
        Query.Many(request, "tags") ?? [],
        Query.Flag(request, "match_all_tags"),
        request.Query["query_text"].FirstOrDefault(),
        request.Query["last_stop_reason"].FirstOrDefault());

    /// <summary>Letta's v1 clients get no relations on lists unless <c>include</c> names them.</summary>
    private static AgentRelations Relations(HttpRequest request, AgentRelations fallback) =>
        Query.Many(request, "include") is { } include ? AgentRelations.From(include)
        : Query.Many(request, "include_relationships") is { } legacy ? AgentRelations.From([.. legacy.Select(r => "agent." + r)])
        : fallback;

    public static Ok<JsonObject> GetAgent(string agent_id, HttpRequest request, AgentStore agents) =>
        TypedResults.Ok(Views.Agent(agents.Get(agent_id), Relations(request, AgentRelations.All)));

    public static Ok<JsonObject> ModifyAgent(string agent_id, JsonObject body, AgentStore agents) =>
        TypedResults.Ok(Views.Agent(agents.Modify(agent_id, AgentChanges.From(body)), AgentRelations.All));

    public static Ok<JsonObject> DeleteAgent(string agent_id, AgentStore agents, ConversationStore conversations)
    {
        agents.Delete(agent_id);
        conversations.DeleteForAgent(agent_id);
        return TypedResults.Ok(new JsonObject { ["message"] = $"Agent id={agent_id} successfully deleted" });
    }

    public static Ok<string> ExportAgent(string agent_id, HttpRequest request, AgentFiles files) =>
        TypedResults.Ok(files.Export(agent_id, Query.Flag(request, "scrub_messages"), request.Query["conversation_id"].FirstOrDefault()));

    public static async Task<Ok<JsonObject>> ImportAgent(HttpRequest request, AgentFiles files)
    {
        if (!request.HasFormContentType)
        {
            throw new LettaException(StatusCodes.Status415UnsupportedMediaType, "Upload the Agent File as multipart/form-data field 'file'");
        }
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var file = form.Files["file"] ?? throw LettaException.Invalid("body.file: Field required");
        using var reader = new StreamReader(file.OpenReadStream());
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        var ids = files.Import(text, new AgentFiles.ImportOptions(
            First(form, "name", "override_name"),
            First(form, "model", "override_model_handle"),
            First(form, "embedding", "override_embedding_handle"),
            Flag(form, "strip_messages", false),
            Flag(form, "append_copy_suffix", true),
            Flag(form, "override_existing_tools", true)));
        return TypedResults.Ok(new JsonObject { ["agent_ids"] = Views.Strings(ids) });
    }

    private static string? First(IFormCollection form, params string[] names) =>
        names.Select(n => form[n].FirstOrDefault()).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private static bool Flag(IFormCollection form, string name, bool fallback) =>
        bool.TryParse(form[name].FirstOrDefault(), out var value) ? value : fallback;

    public static Ok<JsonObject> GetCoreMemory(string agent_id, AgentStore agents) =>
        TypedResults.Ok(Views.Agent(agents.Get(agent_id), AgentRelations.All)["memory"]!.DeepClone().AsObject());

    public static Ok<IReadOnlyList<JsonObject>> ListCoreMemoryBlocks(string agent_id, HttpRequest request, AgentStore agents) =>
        TypedResults.Ok<IReadOnlyList<JsonObject>>([.. agents.ListBlocks(agent_id, PageQuery.From(request, 100, "desc")).Select(Views.Block)]);

    public static Ok<JsonObject> GetCoreMemoryBlock(string agent_id, string block_label, AgentStore agents) =>
        TypedResults.Ok(Views.Block(agents.GetBlock(agent_id, block_label)));

    public static Ok<JsonObject> ModifyCoreMemoryBlock(string agent_id, string block_label, JsonObject body, AgentStore agents) =>
        TypedResults.Ok(Views.Block(agents.ModifyBlock(agent_id, block_label, BlockFields.From(body))));

    public static Ok<JsonObject> AttachBlock(string agent_id, string block_id, AgentStore agents) =>
        TypedResults.Ok(Views.Agent(agents.AttachBlock(agent_id, block_id, true), AgentRelations.All));

    public static Ok<JsonObject> DetachBlock(string agent_id, string block_id, AgentStore agents) =>
        TypedResults.Ok(Views.Agent(agents.AttachBlock(agent_id, block_id, false), AgentRelations.All));

    public static Ok<IReadOnlyList<JsonObject>> ListAgentTools(string agent_id, HttpRequest request, AgentStore agents) =>
        TypedResults.Ok<IReadOnlyList<JsonObject>>([.. agents.ListTools(agent_id, PageQuery.From(request, 10, "desc")).Select(Views.Tool)]);

    public static Ok<JsonObject> AttachTool(string agent_id, string tool_id, AgentStore agents) =>
        TypedResults.Ok(Views.Agent(agents.AttachTool(agent_id, tool_id, true), AgentRelations.All));

    public static Ok<JsonObject> DetachTool(string agent_id, string tool_id, AgentStore agents) =>
        TypedResults.Ok(Views.Agent(agents.AttachTool(agent_id, tool_id, false), AgentRelations.All));

    public static Ok<JsonObject> ModifyApproval(string agent_id, string tool_name, bool? requires_approval, JsonObject? body, AgentStore agents) =>
        TypedResults.Ok(Views.Agent(agents.SetToolApproval(agent_id, tool_name,
            body?.Bool("requires_approval") ?? requires_approval ?? throw LettaException.Invalid("body.requires_approval: Field required")), AgentRelations.All));
}
