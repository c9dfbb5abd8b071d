using System.Globalization;
using System.Text.Json.Nodes;

namespace LettaPlatform.LettaDev.Model;

/// <summary>Entities rendered in the JSON shapes of Letta's spec (AgentState, BlockResponse, Tool, Run, Conversation).</summary>
public static class Views
{
    public static string Date(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string? Date(DateTimeOffset? at) => at is { } value ? Date(value) : null;

    public static JsonObject Block(BlockEntity block) => new()
    {
        ["id"] = block.Id,
        ["label"] = block.Label,
        ["value"] = block.Value,
        ["limit"] = block.Limit,
        ["description"] = block.Description,
        ["read_only"] = block.ReadOnly,
        ["metadata"] = block.Metadata.DeepClone(),
        ["tags"] = Strings(block.Tags),
        ["is_template"] = false,
        ["preserve_on_migration"] = false,
        ["hidden"] = null,
        ["project_id"] = null,
        ["template_name"] = null,
        ["template_id"] = null,
        ["base_template_id"] = null,
        ["deployment_id"] = null,
        ["entity_id"] = null,
        ["created_by_id"] = null,
        ["last_updated_by_id"] = null,
    };

    public static JsonObject Tool(ToolEntity tool) => new()
    {
        ["id"] = tool.Id,
        ["tool_type"] = tool.ToolType,
        ["name"] = tool.Name,
        ["description"] = tool.Description,
        ["source_type"] = tool.SourceType,
        ["source_code"] = tool.SourceCode,
        ["json_schema"] = tool.JsonSchema.DeepClone(),
        ["args_json_schema"] = null,
        ["tags"] = Strings(tool.Tags),
        ["return_char_limit"] = tool.ReturnCharLimit,
        ["pip_requirements"] = null,
        ["npm_requirements"] = null,
        ["default_requires_approval"] = tool.DefaultRequiresApproval,
        ["enable_parallel_execution"] = false,
        ["created_by_id"] = null,
        ["last_updated_by_id"] = null,
        ["metadata_"] = new JsonObject(),
        ["project_id"] = null,
    };

    public static JsonObject LlmConfig(string model) => new()
    {
        ["model"] = model,
        ["model_endpoint_type"] = "openai",
        ["model_endpoint"] = null,
        ["context_window"] = 128_000,
        ["handle"] = model,
        ["temperature"] = 0.0,
        ["max_tokens"] = null,
    };

    /// <param name="relations">Which relations to fill: Letta's v1 list calls send none unless <c>include</c> asks.</param>
    public static JsonObject Agent(AgentSnapshot snapshot, AgentRelations relations)
    {
        var (agent, blocks, tools) = snapshot;
        var blockViews = relations.Blocks ? new JsonArray([.. blocks.Select(b => (JsonNode)Block(b))]) : [];
        return new JsonObject
        {
            ["id"] = agent.Id,
            ["name"] = agent.Name,
            ["system"] = agent.System,
            ["agent_type"] = agent.AgentType,
            ["description"] = agent.Description,
            ["model"] = agent.Model,
            ["embedding"] = agent.Embedding,
            ["llm_config"] = LlmConfig(agent.Model),
            ["embedding_config"] = null,
            ["model_settings"] = null,
            ["compaction_settings"] = null,
            ["response_format"] = null,
            ["metadata"] = agent.Metadata?.DeepClone(),
            ["memory"] = new JsonObject
            {
                ["agent_type"] = agent.AgentType,
                ["git_enabled"] = false,
                ["blocks"] = blockViews.DeepClone(),
                ["file_blocks"] = new JsonArray(),
                ["prompt_template"] = "",
            },
            ["blocks"] = blockViews,
            ["tools"] = relations.Tools ? new JsonArray([.. tools.Select(t => (JsonNode)Tool(t))]) : [],
            ["sources"] = new JsonArray(),
            ["tags"] = relations.Tags ? Strings(agent.Tags) : [],
            ["tool_rules"] = agent.ToolRules.DeepClone(),
            ["message_ids"] = Strings(agent.Thread.MessageIds()),
            ["tool_exec_environment_variables"] = new JsonArray(),
            ["secrets"] = new JsonArray(),
            ["identity_ids"] = new JsonArray(),
            ["identities"] = new JsonArray(),
            ["pending_approval"] = relations.PendingApproval ? agent.Thread.PendingApprovalMessage() : null,
            ["message_buffer_autoclear"] = false,
            ["enable_sleeptime"] = null,
            ["multi_agent_group"] = null,
            ["managed_group"] = null,
            ["last_run_completion"] = Date(agent.LastRunCompletion),
            ["last_run_duration_ms"] = null,
            ["last_stop_reason"] = agent.LastStopReason,
            ["timezone"] = "UTC",
            ["max_files_open"] = null,
            ["per_file_view_window_char_limit"] = null,
            ["hidden"] = null,
            ["project_id"] = null,
            ["template_id"] = null,
            ["base_template_id"] = null,
            ["deployment_id"] = null,
            ["entity_id"] = null,
            ["created_by_id"] = null,
            ["last_updated_by_id"] = null,
            ["created_at"] = Date(agent.CreatedAt),
            ["updated_at"] = Date(agent.UpdatedAt),
        };
    }

    public static JsonObject Run(RunEntity run) => new()
    {
        ["id"] = run.Id,
        ["status"] = run.Status,
        ["created_at"] = Date(run.CreatedAt),
        ["completed_at"] = Date(run.CompletedAt),
        ["agent_id"] = run.AgentId,
        ["conversation_id"] = run.ConversationId,
        ["base_template_id"] = null,
        ["background"] = run.Background,
        ["metadata"] = new JsonObject(),
        ["request_config"] = run.RequestConfig?.DeepClone(),
        ["stop_reason"] = run.StopReason,
        ["callback_url"] = null,
        ["callback_sent_at"] = null,
        ["callback_status_code"] = null,
        ["callback_error"] = null,
        ["ttft_ns"] = null,
        ["total_duration_ns"] = run.CompletedAt is { } done ? (long)((done - run.CreatedAt).TotalMilliseconds * 1_000_000) : null,
    };

    public static JsonObject Conversation(ConversationEntity conversation) => new()
    {
        ["id"] = conversation.Id,
        ["agent_id"] = conversation.AgentId,
        ["summary"] = conversation.Summary,
        ["in_context_message_ids"] = Strings(conversation.Thread.MessageIds()),
        ["isolated_block_ids"] = new JsonArray(),
        ["model"] = conversation.Model,
        ["model_settings"] = null,
        ["last_message_at"] = Date(conversation.LastMessageAt),
        ["created_by_id"] = null,
        ["last_updated_by_id"] = null,
        ["created_at"] = Date(conversation.CreatedAt),
        ["updated_at"] = Date(conversation.UpdatedAt),
    };

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)v)]);
}

public sealed record AgentRelations(bool Blocks, bool Tools, bool Tags, bool PendingApproval)
{
    public static readonly AgentRelations All = new(true, true, true, true);

    /// <summary>Reads Letta's <c>include</c> values (<c>agent.blocks</c>, <c>agent.tools</c>, …).</summary>
    public static AgentRelations From(IReadOnlyCollection<string> include) => new(
        include.Contains("agent.blocks"),
        include.Contains("agent.tools"),
        include.Contains("agent.tags"),
        include.Contains("agent.pending_approval"));
}
