using System.Text.Json;
using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>
/// Agent File (.af) export and import. Ids inside a file are file-local (<c>agent-0</c>, <c>block-0</c>, …) as in Letta;
/// import gives everything new ids, reuses tools by name, and keeps messages unless asked to strip them.
/// </summary>
public static class AgentFiles
{
    public sealed record ImportOptions(string? Name, string? Model, string? Embedding, bool StripMessages, bool AppendCopySuffix, bool OverrideExistingTools);

    public static string Export(DevStore store, string agentId, bool scrubMessages, string? conversationId)
    {
        lock (store.Gate)
        {
            var (agent, _, thread) = store.ThreadLocked(agentId, conversationId);
            var blocks = store.BlocksOf(agent);
            var tools = store.ToolsOf(agent);
            var blockIds = blocks.Select((b, i) => (b.Id, File: $"block-{i}")).ToDictionary(p => p.Id, p => p.File);
            var toolIds = tools.Select((t, i) => (t.Id, File: $"tool-{i}")).ToDictionary(p => p.Id, p => p.File);
            var messages = scrubMessages ? [] : thread.Messages.Select((m, i) => ToFileMessage(m, $"message-{i}")).ToList();

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
                ["blocks"] = new JsonArray([.. blocks.Select(b =>
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
                ["tools"] = new JsonArray([.. tools.Select(t =>
                {
                    var view = Views.Tool(t);
                    view["id"] = toolIds[t.Id];
                    return (JsonNode)view;
                })]),
                ["mcp_servers"] = new JsonArray(),
                ["skills"] = new JsonArray(),
                ["metadata"] = new JsonObject { ["revision_id"] = "lettadev", ["exported_by"] = "LettaDev" },
                ["created_at"] = Views.Date(store.Now),
            };
            return file.ToJsonString(Json.Wire);
        }
    }

    /// <summary>Letta's MessageSchema: roles user/assistant/tool/approval with content parts, tool_calls and tool_returns.</summary>
    private static JsonObject ToFileMessage(JsonObject message, string fileId)
    {
        var type = message.Str("message_type");
        var file = new JsonObject
        {
            ["type"] = "message",
            ["id"] = fileId,
            ["otid"] = message.Str("otid"),
            ["created_at"] = message.Str("date"),
            ["role"] = type switch
            {
                "user_message" => "user",
                "system_message" => "system",
                "tool_return_message" => "tool",
                "approval_request_message" or "approval_response_message" => "approval",
                _ => "assistant",
            },
            ["content"] = new JsonArray(),
        };
        var content = file["content"]!.AsArray();
        switch (type)
        {
            case "reasoning_message":
                content.Add(new JsonObject { ["type"] = "reasoning", ["is_native"] = false, ["reasoning"] = message.Str("reasoning") });
                break;
            case "tool_call_message" or "approval_request_message":
                var call = message["tool_call"]!;
                file["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["id"] = call["tool_call_id"]!.GetValue<string>(),
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call["name"]!.GetValue<string>(), ["arguments"] = call["arguments"]!.GetValue<string>() },
                });
                break;
            case "tool_return_message":
                file["tool_call_id"] = message.Str("tool_call_id");
                content.Add(new JsonObject { ["type"] = "text", ["text"] = message.Str("tool_return") });
                file["tool_returns"] = new JsonArray(new JsonObject
                {
                    ["tool_call_id"] = message.Str("tool_call_id"),
                    ["status"] = message.Str("status"),
                    ["func_response"] = message.Str("tool_return"),
                });
                break;
            case "approval_response_message":
                file["approvals"] = message["approvals"]?.DeepClone();
                break;
            default:
                content.Add(new JsonObject { ["type"] = "text", ["text"] = Messages.Text(message["content"]) });
                break;
        }
        return file;
    }

    public static IReadOnlyList<string> Import(DevStore store, string text, ImportOptions options)
    {
        JsonObject file;
        try
        {
            var node = JsonNode.Parse(text);
            // The export endpoint answers with the file as a JSON string; accept it saved either way.
            if (node is JsonValue value && value.TryGetValue(out string? inner))
            {
                node = JsonNode.Parse(inner);
            }
            file = node as JsonObject ?? throw LettaException.BadRequest("Invalid Agent File: expected a JSON object");
        }
        catch (JsonException ex)
        {
            throw LettaException.BadRequest($"Invalid Agent File: {ex.Message}");
        }

        var agents = new List<AgentEntity>();
        lock (store.Gate)
        {
            var blocks = new Dictionary<string, BlockEntity>(StringComparer.Ordinal);
            foreach (var node in file.Arr("blocks") ?? [])
            {
                var source = node as JsonObject ?? throw LettaException.BadRequest("Invalid Agent File: block is not an object");
                blocks[source.RequireStr("id")] = new BlockEntity
                {
                    Id = Ids.New(Ids.Block),
                    Label = source.RequireStr("label"),
                    Value = source.Str("value") ?? "",
                    Limit = source.Int("limit") ?? BlockDefaults.Limit,
                    Description = source.Str("description"),
                    ReadOnly = source.Bool("read_only") ?? false,
                    Metadata = source.Obj("metadata")?.DeepClone().AsObject() ?? [],
                    Tags = source.Strings("tags") ?? [],
                    CreatedAt = store.Now,
                    UpdatedAt = store.Now,
                    Sequence = store.NextSequence(),
                };
            }
            var tools = new Dictionary<string, ToolEntity>(StringComparer.Ordinal);
            var newTools = new List<ToolEntity>();
            foreach (var node in file.Arr("tools") ?? [])
            {
                var source = node as JsonObject ?? throw LettaException.BadRequest("Invalid Agent File: tool is not an object");
                var name = source.Str("name") ?? source.Obj("json_schema")?.Str("name") ?? throw LettaException.BadRequest("Invalid Agent File: tool without a name");
                var tool = store.ToolByNameLocked(name);
                if (tool is not null && options.OverrideExistingTools && !BaseTools.IsBase(name))
                {
                    tool.Description = source.Str("description") ?? tool.Description;
                    tool.SourceCode = source.Str("source_code") ?? tool.SourceCode;
                    tool.JsonSchema = source.Obj("json_schema")?.DeepClone().AsObject() ?? tool.JsonSchema;
                }
                if (tool is null)
                {
                    tool = new ToolEntity
                    {
                        Id = Ids.New(Ids.Tool),
                        Name = name,
                        ToolType = source.Str("tool_type") ?? "custom",
                        Description = source.Str("description"),
                        SourceType = source.Str("source_type"),
                        SourceCode = source.Str("source_code"),
                        JsonSchema = source.Obj("json_schema")?.DeepClone().AsObject() ?? [],
                        Tags = source.Strings("tags") ?? [],
                        ReturnCharLimit = source.Int("return_char_limit") ?? 50_000,
                        DefaultRequiresApproval = source.Bool("default_requires_approval"),
                        CreatedAt = store.Now,
                        Sequence = store.NextSequence(),
                    };
                    newTools.Add(tool);
                }
                tools[source.RequireStr("id")] = tool;
            }

            foreach (var node in file.Arr("agents") ?? [])
            {
                var source = node as JsonObject ?? throw LettaException.BadRequest("Invalid Agent File: agent is not an object");
                var agent = new AgentEntity
                {
                    Id = Ids.New(Ids.Agent),
                    Name = options.Name ?? (source.Str("name") ?? "imported-agent") + (options.AppendCopySuffix ? "_copy" : ""),
                    CreatedAt = store.Now,
                    UpdatedAt = store.Now,
                    Sequence = store.NextSequence(),
                };
                agent.System = source.Str("system") ?? DevStore.DefaultSystem;
                agent.AgentType = source.Str("agent_type") ?? agent.AgentType;
                agent.Description = source.Str("description");
                agent.Metadata = source.Obj("metadata")?.DeepClone().AsObject();
                agent.Tags = source.Strings("tags") ?? [];
                agent.Model = options.Model ?? source.Str("model") ?? agent.Model;
                agent.Embedding = options.Embedding ?? source.Str("embedding");
                agent.ToolRules = source.Arr("tool_rules")?.DeepClone().AsArray() ?? [];
                agent.BlockIds = [.. (source.Strings("block_ids") ?? []).Where(blocks.ContainsKey).Select(id => blocks[id].Id)];
                agent.ToolIds = [.. (source.Strings("tool_ids") ?? []).Where(tools.ContainsKey).Select(id => tools[id].Id).Distinct()];
                if (!options.StripMessages)
                {
                    foreach (var message in source.Arr("messages") ?? [])
                    {
                        if (message is JsonObject fileMessage)
                        {
                            agent.Thread.Messages.Add(FromFileMessage(fileMessage, store.Now));
                        }
                    }
                }
                agents.Add(agent);
            }
            store.AddImported(agents, blocks.Values, newTools);
        }
        return [.. agents.Select(a => a.Id)];
    }

    private static JsonObject FromFileMessage(JsonObject file, DateTimeOffset now)
    {
        var role = file.Str("role");
        var created = file.Str("created_at") is { } at && DateTimeOffset.TryParse(at, out var parsed) ? parsed : now;
        var parts = file.Arr("content") ?? [];
        var call = file.Arr("tool_calls")?.OfType<JsonObject>().FirstOrDefault();
        JsonObject message;
        if (role == "tool")
        {
            message = Messages.New("tool_return_message", created);
            var toolReturn = file.Arr("tool_returns")?.OfType<JsonObject>().FirstOrDefault();
            var text = toolReturn?.Str("func_response") ?? Messages.Text(parts);
            var status = toolReturn?.Str("status") ?? "success";
            var callId = file.Str("tool_call_id") ?? toolReturn?.Str("tool_call_id") ?? "";
            message["tool_return"] = text;
            message["status"] = status;
            message["tool_call_id"] = callId;
            message["tool_returns"] = new JsonArray(new JsonObject { ["type"] = "tool", ["tool_call_id"] = callId, ["status"] = status, ["tool_return"] = text });
        }
        else if (call is not null)
        {
            message = Messages.New(role == "approval" ? "approval_request_message" : "tool_call_message", created);
            Messages.SetToolCall(message, new ToolCallRequest(call.Str("id") ?? "", call["function"]?["name"]?.GetValue<string>() ?? "",
                call["function"]?["arguments"]?.GetValue<string>() ?? "{}"));
        }
        else if (role == "approval")
        {
            message = Messages.New("approval_response_message", created);
            message["approvals"] = file["approvals"]?.DeepClone();
        }
        else if (role == "assistant" && parts.OfType<JsonObject>().FirstOrDefault()?.Str("type") == "reasoning")
        {
            message = Messages.New("reasoning_message", created);
            message["reasoning"] = parts[0]!["reasoning"]?.GetValue<string>() ?? "";
            message["source"] = "non_reasoner_model";
        }
        else
        {
            message = Messages.New(role switch { "user" => "user_message", "system" => "system_message", _ => "assistant_message" }, created);
            message["content"] = Messages.Text(parts);
        }
        message["otid"] = file.Str("otid");
        return message;
    }
}
