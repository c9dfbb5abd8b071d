using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Engine;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Apis;

public static class AgentsApi
{
    public static IEndpointRouteBuilder MapAgentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/agents").WithTags("Agents");
        api.MapPost("/", CreateAgent).WithName("CreateAgent");
        api.MapGet("/", ListAgents).WithName("ListAgents");
        api.MapGet("/count", CountAgents).WithName("CountAgents");
        api.MapPost("/import", ImportAgent).WithName("ImportAgent").DisableAntiforgery();
        api.MapGet("/{agent_id}", GetAgent).WithName("RetrieveAgent");
        api.MapPatch("/{agent_id}", ModifyAgent).WithName("ModifyAgent");
        api.MapDelete("/{agent_id}", DeleteAgent).WithName("DeleteAgent");
        api.MapGet("/{agent_id}/export", ExportAgent).WithName("ExportAgent");
        api.MapPost("/{agent_id}/export", ExportAgent).WithName("ExportAgentWithSkills");

        api.MapGet("/{agent_id}/core-memory", GetCoreMemory).WithName("RetrieveAgentMemory");
        api.MapGet("/{agent_id}/core-memory/blocks", ListCoreMemoryBlocks).WithName("ListCoreMemoryBlocks");
        api.MapGet("/{agent_id}/core-memory/blocks/{block_label}", GetCoreMemoryBlock).WithName("RetrieveCoreMemoryBlock");
        api.MapPatch("/{agent_id}/core-memory/blocks/{block_label}", ModifyCoreMemoryBlock).WithName("ModifyCoreMemoryBlock");
        api.MapPatch("/{agent_id}/core-memory/blocks/attach/{block_id}", AttachBlock).WithName("AttachCoreMemoryBlock");
        api.MapPatch("/{agent_id}/core-memory/blocks/detach/{block_id}", DetachBlock).WithName("DetachCoreMemoryBlock");

        api.MapGet("/{agent_id}/tools", ListAgentTools).WithName("ListToolsForAgent");
        api.MapPatch("/{agent_id}/tools/attach/{tool_id}", AttachTool).WithName("AttachToolToAgent");
        api.MapPatch("/{agent_id}/tools/detach/{tool_id}", DetachTool).WithName("DetachToolFromAgent");
        api.MapPatch("/{agent_id}/tools/approval/{tool_name}", ModifyApproval).WithName("ModifyApprovalForTool");
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
