using System.Text.Json;
using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>
/// Agent File (.af) export and import. Ids inside a file are file-local (<c>agent-0</c>, <c>block-0</c>, …) as in Letta;
/// import gives everything new ids, reuses tools by name, and keeps messages unless asked to strip them.
/// </summary>
public sealed class AgentFiles(ConversationStore conversations, AgentStore agents, BlockStore blocks, ToolStore tools, TimeProvider time)
{
    public sealed record ImportOptions(string? Name, string? Model, string? Embedding, bool StripMessages, bool AppendCopySuffix, bool OverrideExistingTools);

    public string Export(string agentId, bool scrubMessages, string? conversationId)
    {
        var target = conversations.Resolve(agentId, conversationId);
        var (agent, agentBlocks, agentTools) = agents.Get(target.AgentId);
        var blockIds = agentBlocks.Select((b, i) => (b.Id, File: $"block-{i}")).ToDictionary(p => p.Id, p => p.File);
        var toolIds = agentTools.Select((t, i) => (t.Id, File: $"tool-{i}")).ToDictionary(p => p.Id, p => p.File);
        var messages = scrubMessages ? [] : target.Thread.History().Select((m, i) => AgentFileMessages.ToFileMessage(m, $"message-{i}")).ToList();

        var file = new JsonObject
        {
            ["agents"] = new JsonArray(new JsonObject
            {
                ["id"] = "agent-0",
                ["name"] = agent.Name,
                ["system"] = agent.System,
                ["agent_type"] = agent.AgentType,
                ["description"] = agent.Description,
                ["metadata"] = agent.Metadata?.DeepClone(),
                ["tags"] = Views.Strings(agent.Tags),
                ["model"] = agent.Model,
                ["embedding"] = agent.Embedding,
                ["llm_config"] = Views.LlmConfig(agent.Model),
                ["tool_rules"] = agent.ToolRules.DeepClone(),
                ["include_base_tools"] = false,
                ["block_ids"] = Views.Strings(agent.BlockIds.Where(blockIds.ContainsKey).Select(id => blockIds[id])),
                ["tool_ids"] = Views.Strings(agent.ToolIds.Where(toolIds.ContainsKey).Select(id => toolIds[id])),
                ["in_context_message_ids"] = Views.Strings(messages.Select(m => m.Str("id")!)),
                ["messages"] = new JsonArray([.. messages]),
                ["files_agents"] = new JsonArray(),
                ["group_ids"] = new JsonArray(),
            }),
            ["groups"] = new JsonArray(),
            ["blocks"] = new JsonArray([.. agentBlocks.Select(b =>
            {
                var view = Views.Block(b);
                view["id"] = blockIds[b.Id];
                // BlockSchema in the Agent File does not have the audit fields that BlockResponse has.
                view.Remove("created_by_id");
                view.Remove("last_updated_by_id");
                return (JsonNode)view;
            })]),
            ["files"] = new JsonArray(),
            ["sources"] = new JsonArray(),
            ["tools"] = new JsonArray([.. agentTools.Select(t =>
            {
                var view = Views.Tool(t);
                view["id"] = toolIds[t.Id];
                return (JsonNode)view;
            })]),
            ["mcp_servers"] = new JsonArray(),
            ["skills"] = new JsonArray(),
            ["metadata"] = new JsonObject { ["revision_id"] = "lettadev", ["exported_by"] = "LettaDev" },
            ["created_at"] = Views.Date(time.GetUtcNow()),
        };
        return file.ToJsonString(Json.Wire);
    }

    /// <summary>Reads the whole file before storing anything, so a file refused halfway leaves no trace.</summary>
    public IReadOnlyList<string> Import(string text, ImportOptions options)
    {
        var file = Parse(text);
        var now = time.GetUtcNow();

        var fileBlocks = new Dictionary<string, BlockEntity>(StringComparer.Ordinal);
        foreach (var node in file.Arr("blocks") ?? [])
        {
            var source = node as JsonObject ?? throw LettaException.BadRequest("Invalid Agent File: block is not an object");
            fileBlocks[source.RequireStr("id")] = new BlockEntity
            {
                Id = Ids.New(Ids.Block),
                Label = source.RequireStr("label"),
                Value = source.Str("value") ?? "",
                Limit = source.Int("limit") ?? BlockDefaults.Limit,
                Description = source.Str("description"),
                ReadOnly = source.Bool("read_only") ?? false,
                Metadata = source.Obj("metadata")?.DeepClone().AsObject() ?? [],
                Tags = source.Strings("tags") ?? [],
                CreatedAt = now,
                UpdatedAt = now,
            };
        }

        var fileTools = new List<(string FileId, ToolEntity Candidate, ToolChanges? Overrides)>();
        foreach (var node in file.Arr("tools") ?? [])
        {
            var source = node as JsonObject ?? throw LettaException.BadRequest("Invalid Agent File: tool is not an object");
            var name = source.Str("name") ?? source.Obj("json_schema")?.Str("name") ?? throw LettaException.BadRequest("Invalid Agent File: tool without a name");
            var schema = source.Obj("json_schema")?.DeepClone().AsObject();
            var candidate = new ToolEntity
            {
                Id = Ids.New(Ids.Tool),
                Name = name,
                ToolType = source.Str("tool_type") ?? "custom",
                Description = source.Str("description"),
                SourceType = source.Str("source_type"),
                SourceCode = source.Str("source_code"),
                JsonSchema = schema ?? [],
                Tags = source.Strings("tags") ?? [],
                ReturnCharLimit = source.Int("return_char_limit") ?? 50_000,
                DefaultRequiresApproval = source.Bool("default_requires_approval"),
                CreatedAt = now,
            };
            var overrides = options.OverrideExistingTools ? new ToolChanges(candidate.Description, null, candidate.SourceCode, schema, null, null) : null;
            fileTools.Add((source.RequireStr("id"), candidate, overrides));
        }

        var fileAgents = new List<AgentEntity>();
        foreach (var node in file.Arr("agents") ?? [])
        {
            var source = node as JsonObject ?? throw LettaException.BadRequest("Invalid Agent File: agent is not an object");
            var history = options.StripMessages ? [] : (source.Arr("messages") ?? []).OfType<JsonObject>().Select(m => AgentFileMessages.FromFileMessage(m, now));
            fileAgents.Add(new AgentEntity
            {
                Id = Ids.New(Ids.Agent),
                Name = options.Name ?? (source.Str("name") ?? "imported-agent") + (options.AppendCopySuffix ? "_copy" : ""),
                System = source.Str("system") ?? AgentEntity.DefaultSystem,
                AgentType = source.Str("agent_type") ?? AgentEntity.DefaultAgentType,
                Description = source.Str("description"),
                Metadata = source.Obj("metadata")?.DeepClone().AsObject(),
                Tags = source.Strings("tags") ?? [],
                Model = options.Model ?? source.Str("model") ?? AgentEntity.DefaultModel,
                Embedding = options.Embedding ?? source.Str("embedding"),
                ToolRules = source.Arr("tool_rules")?.DeepClone().AsArray() ?? [],
                BlockIds = [.. (source.Strings("block_ids") ?? []).Where(fileBlocks.ContainsKey).Select(id => fileBlocks[id].Id)],
                // Still the file's tool ids: which tool each one becomes is known only once the tools are stored.
                ToolIds = source.Strings("tool_ids") ?? [],
                CreatedAt = now,
                UpdatedAt = now,
                Thread = new ChatThread(history.ToList()),
            });
        }

        blocks.AddImported(fileBlocks.Values);
        var toolIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (fileId, candidate, overrides) in fileTools)
        {
            toolIds[fileId] = tools.Import(candidate, overrides).Id;
        }
        var imported = fileAgents.Select(a => a with { ToolIds = [.. a.ToolIds.Where(toolIds.ContainsKey).Select(id => toolIds[id]).Distinct()] }).ToList();
        agents.AddImported(imported);
        return [.. imported.Select(a => a.Id)];
    }

    private static JsonObject Parse(string text)
    {
        try
        {
            var node = JsonNode.Parse(text);
            // The export endpoint answers with the file as a JSON string; accept it saved either way.
            if (node is JsonValue value && value.TryGetValue(out string? inner))
            {
                node = JsonNode.Parse(inner);
            }
            return node as JsonObject ?? throw LettaException.BadRequest("Invalid Agent File: expected a JSON object");
        }
        catch (JsonException ex)
        {
            throw LettaException.BadRequest($"Invalid Agent File: {ex.Message}");
        }
    }
}
