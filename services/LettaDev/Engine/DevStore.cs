using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>
/// LettaDev's agents, blocks, tools and conversations (with their threads), in memory; runs live in <see cref="RunStore"/>.
/// Every read and write holds <see cref="Gate"/> briefly; turns never hold it while they wait, and a thread's
/// <see cref="ChatThread.ActiveRunId"/> makes one turn per agent or conversation. A turn that records into a run
/// while it changes the thread takes <see cref="Gate"/> first, then the run's own lock, never the other way round.
/// </summary>
public sealed class DevStore
{
    private readonly Dictionary<string, AgentEntity> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BlockEntity> _blocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ToolEntity> _tools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConversationEntity> _conversations = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private long _sequence;

    public DevStore(TimeProvider time)
    {
        _time = time;
        foreach (var (name, type, description, parameters) in BaseTools.Definitions())
        {
            var tool = NewTool(name);
            tool.ToolType = type;
            tool.Description = description;
            tool.SourceType = "python";
            tool.JsonSchema = BaseTools.Schema(name, description, parameters);
            _tools[tool.Id] = tool;
        }
    }

    public Lock Gate { get; } = new();

    public DateTimeOffset Now => _time.GetUtcNow();

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public JsonObject CreateAgent(JsonObject body)
    {
        lock (Gate)
        {
            var agent = new AgentEntity
            {
                Id = Ids.New(Ids.Agent),
                Name = body.Str("name") ?? $"agent-{_agents.Count + 1}",
                CreatedAt = Now,
                UpdatedAt = Now,
                Sequence = NextSequence(),
            };
            agent.AgentType = body.Str("agent_type") ?? "letta_v1_agent";
            agent.System = body.Str("system") ?? DefaultSystem;
            agent.Description = body.Str("description");
            agent.Model = body.Str("model") ?? agent.Model;
            agent.Embedding = body.Str("embedding");
            agent.Metadata = body.Obj("metadata")?.DeepClone().AsObject();
            agent.Tags = Distinct(body.Strings("tags") ?? []);
            agent.ToolRules = body.Arr("tool_rules")?.DeepClone().AsArray() ?? [];

            foreach (var node in body.Arr("memory_blocks") ?? [])
            {
                var block = CreateBlockLocked(node as JsonObject ?? throw LettaException.Invalid("body.memory_blocks: Input should be an object"));
                agent.BlockIds.Add(block.Id);
            }
            foreach (var id in body.Strings("block_ids") ?? [])
            {
                Ids.Require(Ids.Block, id, "Block");
                var block = BlockLocked(id);
                if (agent.BlockIds.Contains(block.Id))
                {
                    continue;
                }
                if (BlocksOf(agent).Any(b => b.Label == block.Label))
                {
                    throw LettaException.BadRequest($"Duplicate block label '{block.Label}' on agent");
                }
                agent.BlockIds.Add(block.Id);
            }

            var toolIds = new List<string>();
            if (body.Bool("include_base_tools") ?? true)
            {
                toolIds.AddRange(BaseTools.ForAgentType(agent.AgentType).Select(name => ToolByNameLocked(name)!.Id));
            }
            foreach (var name in body.Strings("tools") ?? [])
            {
                toolIds.Add((ToolByNameLocked(name) ?? throw LettaException.NotFound($"Tool '{name}'")).Id);
            }
            foreach (var id in body.Strings("tool_ids") ?? [])
            {
                Ids.Require(Ids.Tool, id, "Tool");
                toolIds.Add(ToolLocked(id).Id);
            }
            foreach (var id in toolIds.Distinct())
            {
                AttachToolLocked(agent, _tools[id]);
            }
            _agents[agent.Id] = agent;
            return Views.Agent(agent, BlocksOf(agent), ToolsOf(agent), AgentRelations.All);
        }
    }

    public const string DefaultSystem = "You are a helpful assistant running on LettaDev, a deterministic stand-in for Letta.";

    public JsonObject GetAgent(string id, AgentRelations relations)
    {
        lock (Gate)
        {
            var agent = AgentLocked(id);
            return Views.Agent(agent, BlocksOf(agent), ToolsOf(agent), relations);
        }
    }

    public sealed record AgentFilter(string? Name, IReadOnlyList<string> Tags, bool MatchAllTags, string? QueryText, string? LastStopReason);

    public IReadOnlyList<JsonObject> ListAgents(AgentFilter filter, PageQuery page, AgentRelations relations)
    {
        lock (Gate)
        {
            var matching = FilterAgents(filter).OrderBy(a => a.Sequence);
            return [.. page.Apply(matching, a => a.Id).Select(a => Views.Agent(a, BlocksOf(a), ToolsOf(a), relations))];
        }
    }

    public int CountAgents(AgentFilter filter)
    {
        lock (Gate)
        {
            return FilterAgents(filter).Count();
        }
    }

    private IEnumerable<AgentEntity> FilterAgents(AgentFilter filter) => _agents.Values.Where(a =>
        (filter.Name is null || a.Name == filter.Name)
        && (filter.QueryText is null || a.Name.Contains(filter.QueryText, StringComparison.OrdinalIgnoreCase))
        && (filter.LastStopReason is null || a.LastStopReason == filter.LastStopReason)
        && (filter.Tags.Count == 0 || (filter.MatchAllTags ? filter.Tags.All(a.Tags.Contains) : filter.Tags.Any(a.Tags.Contains))));

    public JsonObject ModifyAgent(string id, JsonObject body)
    {
        lock (Gate)
        {
            var agent = AgentLocked(id);
            if (body.Str("name") is { } name) agent.Name = name;
            if (body.Str("system") is { } system) agent.System = system;
            if (body.Str("description") is { } description) agent.Description = description;
            if (body.Str("model") is { } model) agent.Model = model;
            if (body.Str("embedding") is { } embedding) agent.Embedding = embedding;
            if (body.Strings("tags") is { } tags) agent.Tags = Distinct(tags);
            if (body.Obj("metadata") is { } metadata) agent.Metadata = metadata.DeepClone().AsObject();
            if (body.Arr("tool_rules") is { } rules) agent.ToolRules = rules.DeepClone().AsArray();
            if (body.Str("last_stop_reason") is { } stop) agent.LastStopReason = stop;
            if (body.Strings("tool_ids") is { } toolIds)
            {
                toolIds.ForEach(t => Ids.Require(Ids.Tool, t, "Tool"));
                var tools = toolIds.Distinct().Select(ToolLocked).ToList();
                agent.ToolIds.Clear();
                tools.ForEach(t => AttachToolLocked(agent, t));
            }
            if (body.Strings("block_ids") is { } blockIds)
            {
                blockIds.ForEach(b => Ids.Require(Ids.Block, b, "Block"));
                var blocks = blockIds.Distinct().Select(BlockLocked).ToList();
                agent.BlockIds = [.. blocks.Select(b => b.Id)];
            }
            agent.UpdatedAt = Now;
            return Views.Agent(agent, BlocksOf(agent), ToolsOf(agent), AgentRelations.All);
        }
    }

    public void DeleteAgent(string id)
    {
        lock (Gate)
        {
            var agent = AgentLocked(id);
            agent.Thread.ActiveRunId = null;
            _agents.Remove(agent.Id);
            foreach (var conversation in _conversations.Values.Where(c => c.AgentId == agent.Id).ToList())
            {
                _conversations.Remove(conversation.Id);
            }
        }
    }

    public AgentEntity AgentLocked(string id)
    {
        Ids.Require(Ids.Agent, id, "Agent");
        return _agents.TryGetValue(id, out var agent) ? agent : throw LettaException.NotFound("Agent");
    }

    public List<BlockEntity> BlocksOf(AgentEntity agent) => [.. agent.BlockIds.Select(id => _blocks.GetValueOrDefault(id)).OfType<BlockEntity>()];

    public List<ToolEntity> ToolsOf(AgentEntity agent) => [.. agent.ToolIds.Select(id => _tools.GetValueOrDefault(id)).OfType<ToolEntity>()];

    private void AttachToolLocked(AgentEntity agent, ToolEntity tool)
    {
        if (agent.ToolIds.Contains(tool.Id))
        {
            return;
        }
        if (ToolsOf(agent).Any(t => t.Name == tool.Name))
        {
            throw LettaException.BadRequest($"Agent already has a tool named '{tool.Name}'");
        }
        agent.ToolIds.Add(tool.Id);
        if (tool.DefaultRequiresApproval == true)
        {
            SetApprovalRule(agent, tool.Name, true);
        }
    }

    public static void SetApprovalRule(AgentEntity agent, string toolName, bool requiresApproval)
    {
        var existing = agent.ToolRules.OfType<JsonObject>()
            .Where(r => r.Str("type") == "requires_approval" && r.Str("tool_name") == toolName).ToList();
        existing.ForEach(r => agent.ToolRules.Remove(r));
        if (requiresApproval)
        {
            agent.ToolRules.Add(new JsonObject { ["tool_name"] = toolName, ["type"] = "requires_approval", ["prompt_template"] = null });
        }
    }

    public static bool RequiresApproval(AgentEntity agent, string toolName) => agent.ToolRules.OfType<JsonObject>()
        .Any(r => r.Str("type") == "requires_approval" && r.Str("tool_name") == toolName);

    public IReadOnlyList<JsonObject> ListAgentTools(string agentId, PageQuery page)
    {
        lock (Gate)
        {
            var agent = AgentLocked(agentId);
            return [.. page.Apply(ToolsOf(agent).OrderBy(t => t.Sequence), t => t.Id).Select(Views.Tool)];
        }
    }

    public JsonObject AttachTool(string agentId, string toolId, bool attach)
    {
        lock (Gate)
        {
            var agent = AgentLocked(agentId);
            Ids.Require(Ids.Tool, toolId, "Tool");
            var tool = ToolLocked(toolId);
            if (attach)
            {
                AttachToolLocked(agent, tool);
            }
            else
            {
                agent.ToolIds.Remove(tool.Id);
            }
            agent.UpdatedAt = Now;
            return Views.Agent(agent, BlocksOf(agent), ToolsOf(agent), AgentRelations.All);
        }
    }

    public JsonObject SetToolApproval(string agentId, string toolName, bool requiresApproval)
    {
        lock (Gate)
        {
            var agent = AgentLocked(agentId);
            SetApprovalRule(agent, toolName, requiresApproval);
            agent.UpdatedAt = Now;
            return Views.Agent(agent, BlocksOf(agent), ToolsOf(agent), AgentRelations.All);
        }
    }

    public JsonObject CreateBlock(JsonObject body)
    {
        lock (Gate)
        {
            return Views.Block(CreateBlockLocked(body));
        }
    }

    private BlockEntity CreateBlockLocked(JsonObject body)
    {
        var block = new BlockEntity
        {
            Id = Ids.New(Ids.Block),
            Label = body.RequireStr("label"),
            CreatedAt = Now,
            UpdatedAt = Now,
            Sequence = NextSequence(),
        };
        if (!body.ContainsKey("value"))
        {
            throw LettaException.Invalid("body.value: Field required");
        }
        ApplyBlockFields(block, body);
        _blocks[block.Id] = block;
        return block;
    }

    private static void ApplyBlockFields(BlockEntity block, JsonObject body)
    {
        if (body.ContainsKey("value")) block.Value = body.Str("value") ?? "";
        if (body.Str("label") is { } label) block.Label = label;
        if (body.Int("limit") is { } limit) block.Limit = limit;
        if (body.Str("description") is { } description) block.Description = description;
        if (body.Bool("read_only") is { } readOnly) block.ReadOnly = readOnly;
        if (body.Obj("metadata") is { } metadata) block.Metadata = metadata.DeepClone().AsObject();
        if (body.Strings("tags") is { } tags) block.Tags = Distinct(tags);
    }

    public sealed record BlockFilter(string? Label, IReadOnlyList<string> Tags, bool MatchAllTags, string? ValueSearch, string? LabelSearch);

    public IReadOnlyList<JsonObject> ListBlocks(BlockFilter filter, PageQuery page)
    {
        lock (Gate)
        {
            return [.. page.Apply(FilterBlocks(filter).OrderBy(b => b.Sequence), b => b.Id).Select(Views.Block)];
        }
    }

    public int CountBlocks(BlockFilter filter)
    {
        lock (Gate)
        {
            return FilterBlocks(filter).Count();
        }
    }

    private IEnumerable<BlockEntity> FilterBlocks(BlockFilter filter) => _blocks.Values.Where(b =>
        (filter.Label is null || b.Label == filter.Label)
        && (filter.LabelSearch is null || b.Label.Contains(filter.LabelSearch, StringComparison.OrdinalIgnoreCase))
        && (filter.ValueSearch is null || b.Value.Contains(filter.ValueSearch, StringComparison.OrdinalIgnoreCase))
        && (filter.Tags.Count == 0 || (filter.MatchAllTags ? filter.Tags.All(b.Tags.Contains) : filter.Tags.Any(b.Tags.Contains))));

    public JsonObject GetBlock(string id)
    {
        lock (Gate)
        {
            Ids.Require(Ids.Block, id, "Block");
            return Views.Block(BlockLocked(id));
        }
    }

    public JsonObject ModifyBlock(string id, JsonObject body)
    {
        lock (Gate)
        {
            Ids.Require(Ids.Block, id, "Block");
            var block = BlockLocked(id);
            ApplyBlockFields(block, body);
            block.UpdatedAt = Now;
            return Views.Block(block);
        }
    }

    public void DeleteBlock(string id)
    {
        lock (Gate)
        {
            Ids.Require(Ids.Block, id, "Block");
            var block = BlockLocked(id);
            _blocks.Remove(block.Id);
            foreach (var agent in _agents.Values)
            {
                agent.BlockIds.Remove(block.Id);
            }
        }
    }

    public IReadOnlyList<JsonObject> AgentsForBlock(string id, PageQuery page, AgentRelations relations)
    {
        lock (Gate)
        {
            Ids.Require(Ids.Block, id, "Block");
            var block = BlockLocked(id);
            var agents = _agents.Values.Where(a => a.BlockIds.Contains(block.Id)).OrderBy(a => a.Sequence);
            return [.. page.Apply(agents, a => a.Id).Select(a => Views.Agent(a, BlocksOf(a), ToolsOf(a), relations))];
        }
    }

    public BlockEntity BlockLocked(string id) =>
        _blocks.TryGetValue(id, out var block) ? block : throw LettaException.NotFound("Block");

    public IReadOnlyList<JsonObject> ListAgentBlocks(string agentId, PageQuery page)
    {
        lock (Gate)
        {
            var agent = AgentLocked(agentId);
            return [.. page.Apply(BlocksOf(agent).OrderBy(b => b.Sequence), b => b.Id).Select(Views.Block)];
        }
    }

    public JsonObject GetAgentBlock(string agentId, string label)
    {
        lock (Gate)
        {
            return Views.Block(AgentBlockLocked(AgentLocked(agentId), label));
        }
    }

    public JsonObject ModifyAgentBlock(string agentId, string label, JsonObject body)
    {
        lock (Gate)
        {
            var agent = AgentLocked(agentId);
            var block = AgentBlockLocked(agent, label);
            if (body.Str("label") is { } newLabel && newLabel != block.Label && BlocksOf(agent).Any(b => b.Label == newLabel))
            {
                throw LettaException.BadRequest($"Agent already has a block labelled '{newLabel}'");
            }
            ApplyBlockFields(block, body);
            block.UpdatedAt = Now;
            return Views.Block(block);
        }
    }

    public BlockEntity AgentBlockLocked(AgentEntity agent, string label) =>
        BlocksOf(agent).FirstOrDefault(b => b.Label == label)
        ?? throw new LettaException(StatusCodes.Status404NotFound, $"Block with label '{label}' not found for agent '{agent.Id}'");

    public JsonObject AttachBlock(string agentId, string blockId, bool attach)
    {
        lock (Gate)
        {
            var agent = AgentLocked(agentId);
            Ids.Require(Ids.Block, blockId, "Block");
            var block = BlockLocked(blockId);
            if (attach && !agent.BlockIds.Contains(block.Id))
            {
                if (BlocksOf(agent).Any(b => b.Label == block.Label))
                {
                    throw LettaException.BadRequest($"Agent already has a block labelled '{block.Label}'");
                }
                agent.BlockIds.Add(block.Id);
            }
            else if (!attach)
            {
                agent.BlockIds.Remove(block.Id);
            }
            agent.UpdatedAt = Now;
            return Views.Agent(agent, BlocksOf(agent), ToolsOf(agent), AgentRelations.All);
        }
    }

    private ToolEntity NewTool(string name) => new()
    {
        Id = Ids.New(Ids.Tool),
        Name = name,
        CreatedAt = Now,
        Sequence = NextSequence(),
    };

    public ToolEntity? ToolByNameLocked(string name) => _tools.Values.FirstOrDefault(t => t.Name == name);

    public ToolEntity ToolLocked(string id) =>
        _tools.TryGetValue(id, out var tool) ? tool : throw LettaException.NotFound("Tool");

    public sealed record ToolFilter(string? Name, IReadOnlyList<string> Names, IReadOnlyList<string> Types, string? Search);

    public IReadOnlyList<JsonObject> ListTools(ToolFilter filter, PageQuery page)
    {
        lock (Gate)
        {
            var tools = _tools.Values.Where(t =>
                    (filter.Name is null || t.Name == filter.Name)
                    && (filter.Names.Count == 0 || filter.Names.Contains(t.Name))
                    && (filter.Types.Count == 0 || filter.Types.Contains(t.ToolType))
                    && (filter.Search is null || t.Name.Contains(filter.Search, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(t => t.Sequence);
            return [.. page.Apply(tools, t => t.Id).Select(Views.Tool)];
        }
    }

    public JsonObject GetTool(string id)
    {
        lock (Gate)
        {
            Ids.Require(Ids.Tool, id, "Tool");
            return Views.Tool(ToolLocked(id));
        }
    }

    /// <summary>Creates or (when <paramref name="upsert"/>) replaces a tool; its name comes from <c>json_schema.name</c>
    /// or the first <c>def</c> in the source, since no Python runs here.</summary>
    public JsonObject CreateTool(JsonObject body, bool upsert)
    {
        lock (Gate)
        {
            var source = body.RequireStr("source_code");
            var schema = body.Obj("json_schema")?.DeepClone().AsObject();
            var name = schema?.Str("name") ?? FunctionName(source)
                ?? throw LettaException.BadRequest("Could not determine the tool name: give json_schema.name or a 'def' in source_code");
            var existing = ToolByNameLocked(name);
            if (existing is not null && !upsert)
            {
                throw new LettaException(StatusCodes.Status409Conflict, $"Tool with name '{name}' already exists");
            }
            if (existing is not null && BaseTools.IsBase(name))
            {
                throw LettaException.BadRequest($"'{name}' is a base tool and cannot be replaced");
            }
            var tool = existing ?? NewTool(name);
            tool.SourceCode = source;
            tool.SourceType = body.Str("source_type") ?? "python";
            tool.Description = body.Str("description") ?? schema?.Str("description") ?? tool.Description;
            tool.JsonSchema = schema ?? BaseTools.Schema(name, tool.Description ?? "", new JsonObject { ["type"] = "object", ["properties"] = new JsonObject(), ["required"] = new JsonArray() });
            tool.Tags = Distinct(body.Strings("tags") ?? tool.Tags);
            tool.ReturnCharLimit = body.Int("return_char_limit") ?? tool.ReturnCharLimit;
            tool.DefaultRequiresApproval = body.Bool("default_requires_approval") ?? tool.DefaultRequiresApproval;
            _tools[tool.Id] = tool;
            return Views.Tool(tool);
        }
    }

    public JsonObject ModifyTool(string id, JsonObject body)
    {
        lock (Gate)
        {
            Ids.Require(Ids.Tool, id, "Tool");
            var tool = ToolLocked(id);
            if (body.Str("description") is { } description) tool.Description = description;
            if (body.Strings("tags") is { } tags) tool.Tags = Distinct(tags);
            if (body.Str("source_code") is { } source) tool.SourceCode = source;
            if (body.Obj("json_schema") is { } schema) tool.JsonSchema = schema.DeepClone().AsObject();
            if (body.Int("return_char_limit") is { } limit) tool.ReturnCharLimit = limit;
            if (body.Bool("default_requires_approval") is { } approval) tool.DefaultRequiresApproval = approval;
            return Views.Tool(tool);
        }
    }

    public void DeleteTool(string id)
    {
        lock (Gate)
        {
            Ids.Require(Ids.Tool, id, "Tool");
            var tool = ToolLocked(id);
            _tools.Remove(tool.Id);
            foreach (var agent in _agents.Values)
            {
                agent.ToolIds.Remove(tool.Id);
            }
        }
    }

    private static string? FunctionName(string source)
    {
        var match = System.Text.RegularExpressions.Regex.Match(source, @"def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(");
        return match.Success ? match.Groups[1].Value : null;
    }

    public JsonObject CreateConversation(string agentId, JsonObject body)
    {
        lock (Gate)
        {
            var agent = AgentLocked(agentId);
            var conversation = new ConversationEntity
            {
                Id = Ids.New(Ids.Conversation),
                AgentId = agent.Id,
                Summary = body.Str("summary"),
                Model = body.Str("model"),
                CreatedAt = Now,
                UpdatedAt = Now,
                Sequence = NextSequence(),
            };
            _conversations[conversation.Id] = conversation;
            return Views.Conversation(conversation);
        }
    }

    public JsonObject GetConversation(string id)
    {
        lock (Gate)
        {
            return Views.Conversation(ConversationLocked(id));
        }
    }

    public JsonObject UpdateConversation(string id, JsonObject body)
    {
        lock (Gate)
        {
            var conversation = ConversationLocked(id);
            if (body.Str("summary") is { } summary) conversation.Summary = summary;
            if (body.Str("model") is { } model) conversation.Model = model;
            conversation.UpdatedAt = Now;
            return Views.Conversation(conversation);
        }
    }

    public void DeleteConversation(string id)
    {
        lock (Gate)
        {
            _conversations.Remove(ConversationLocked(id).Id);
        }
    }

    public IReadOnlyList<JsonObject> ListConversations(string? agentId, PageQuery page)
    {
        lock (Gate)
        {
            if (agentId is not null)
            {
                AgentLocked(agentId);
            }
            var conversations = _conversations.Values.Where(c => agentId is null || c.AgentId == agentId).OrderBy(c => c.Sequence);
            return [.. page.Apply(conversations, c => c.Id).Select(Views.Conversation)];
        }
    }

    public ConversationEntity ConversationLocked(string id)
    {
        Ids.Require(Ids.Conversation, id, "Conversation");
        return _conversations.TryGetValue(id, out var conversation) ? conversation : throw LettaException.NotFound("Conversation");
    }

    /// <summary>A thread's history (filtered by message type), cloned so callers never hold the store's objects.</summary>
    public IReadOnlyList<JsonObject> ListMessages(string? agentId, string? conversationId, PageQuery page, IReadOnlySet<string>? types)
    {
        lock (Gate)
        {
            var messages = ThreadLocked(agentId, conversationId).Thread.Messages.Where(m => types is null || types.Contains(m.Str("message_type") ?? ""));
            return [.. page.Apply(messages, m => m.Str("id")!).Select(m => m.DeepClone().AsObject())];
        }
    }

    /// <summary>The agent a thread belongs to, and the thread's last run.</summary>
    public (string AgentId, string? LastRunId) ThreadInfo(string? agentId, string? conversationId)
    {
        lock (Gate)
        {
            var (agent, _, thread) = ThreadLocked(agentId, conversationId);
            return (agent.Id, thread.LastRunId);
        }
    }

    public void RequireAgent(string id)
    {
        lock (Gate)
        {
            AgentLocked(id);
        }
    }

    /// <summary>Replaces the agent's queue of scripted steps; returns how many are queued.</summary>
    public int ReplaceScript(string agentId, IEnumerable<ScriptStep> steps)
    {
        lock (Gate)
        {
            var agent = AgentLocked(agentId);
            agent.Script.Clear();
            foreach (var step in steps)
            {
                agent.Script.Enqueue(step);
            }
            return agent.Script.Count;
        }
    }

    /// <summary>Resolves the thread a message goes to: a conversation, or the agent's main thread for <c>default</c>.</summary>
    public (AgentEntity Agent, ConversationEntity? Conversation, ChatThread Thread) ThreadLocked(string? agentId, string? conversationId)
    {
        if (conversationId is null or "default")
        {
            var agent = AgentLocked(agentId ?? throw LettaException.Invalid("agent_id is required with the default conversation"));
            return (agent, null, agent.Thread);
        }
        var conversation = ConversationLocked(conversationId);
        if (agentId is not null && agentId != conversation.AgentId)
        {
            throw LettaException.NotFound("Conversation");
        }
        var owner = _agents.TryGetValue(conversation.AgentId, out var found) ? found : throw LettaException.NotFound("Agent");
        return (owner, conversation, conversation.Thread);
    }

    public void AddImported(IEnumerable<AgentEntity> agents, IEnumerable<BlockEntity> blocks, IEnumerable<ToolEntity> tools)
    {
        lock (Gate)
        {
            foreach (var block in blocks)
            {
                _blocks[block.Id] = block;
            }
            foreach (var tool in tools)
            {
                _tools[tool.Id] = tool;
            }
            foreach (var agent in agents)
            {
                _agents[agent.Id] = agent;
            }
        }
    }

    private static List<string> Distinct(IEnumerable<string> values) => [.. values.Distinct(StringComparer.Ordinal)];
}
