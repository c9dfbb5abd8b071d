using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>
/// Agents by id, with their links to blocks and tools (which live in the <see cref="BlockStore"/> and <see cref="ToolStore"/>).
/// Every change replaces the agent's record under this store's lock. While it is held the store reads and edits blocks
/// and tools through their stores, so their locks come after this one, never before; a link to a block or tool deleted
/// meanwhile is skipped when the agent is read.
/// </summary>
public sealed partial class AgentStore(BlockStore blocks, ToolStore tools, TimeProvider time)
{
    private readonly Dictionary<string, AgentEntity> _agents = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _sequence;

    /// <summary>Creates the agent with its memory blocks and tools; everything is checked first, so a refused create leaves no blocks behind.</summary>
    public AgentSnapshot Create(NewAgent request)
    {
        lock (_lock)
        {
            var labels = request.MemoryBlocks.Select(b => b.Label!).ToList();
            var shared = new List<BlockEntity>();
            foreach (var id in request.BlockIds)
            {
                var block = blocks.Get(id);
                if (shared.Any(b => b.Id == block.Id))
                {
                    continue;
                }
                if (labels.Contains(block.Label))
                {
                    throw LettaException.BadRequest($"Duplicate block label '{block.Label}' on agent");
                }
                labels.Add(block.Label);
                shared.Add(block);
            }

            var agentType = request.AgentType ?? AgentEntity.DefaultAgentType;
            var named = (request.IncludeBaseTools ? BaseTools.ForAgentType(agentType) : []).Concat(request.ToolNames)
                .Select(name => tools.FindByName(name) ?? throw LettaException.NotFound($"Tool '{name}'"))
                .ToList();
            var byId = request.ToolIds.Select(tools.Get).ToList();

            var now = time.GetUtcNow();
            var agent = new AgentEntity
            {
                Id = Ids.New(Ids.Agent),
                Name = request.Name ?? $"agent-{_agents.Count + 1}",
                AgentType = agentType,
                System = request.System ?? AgentEntity.DefaultSystem,
                Description = request.Description,
                Model = request.Model ?? AgentEntity.DefaultModel,
                Embedding = request.Embedding,
                Metadata = request.Metadata,
                Tags = request.Tags,
                ToolRules = request.ToolRules,
                CreatedAt = now,
                UpdatedAt = now,
            };
            agent = named.Concat(byId).DistinctBy(t => t.Id).Aggregate(agent, WithTool);
            var memory = request.MemoryBlocks.Select(blocks.Create).ToList();
            agent = agent with { BlockIds = [.. memory.Concat(shared).Select(b => b.Id)] };
            return Snapshot(AddLocked(agent));
        }
    }

    /// <summary>Agents read from an Agent File, already linked to their new blocks and tools.</summary>
    public void AddImported(IEnumerable<AgentEntity> agents)
    {
        lock (_lock)
        {
            foreach (var agent in agents)
            {
                AddLocked(agent);
            }
        }
    }

    /// <summary>The agent, or 404.</summary>
    public AgentEntity Require(string id)
    {
        lock (_lock)
        {
            return AgentLocked(id);
        }
    }

    public AgentSnapshot Get(string id)
    {
        lock (_lock)
        {
            return Snapshot(AgentLocked(id));
        }
    }

    public IReadOnlyList<AgentSnapshot> List(AgentFilter filter, PageQuery page)
    {
        lock (_lock)
        {
            return [.. page.Apply(Matching(filter).OrderBy(a => a.Sequence), a => a.Id).Select(Snapshot)];
        }
    }

    public int Count(AgentFilter filter)
    {
        lock (_lock)
        {
            return Matching(filter).Count();
        }
    }

    private IEnumerable<AgentEntity> Matching(AgentFilter filter) => _agents.Values.Where(a =>
        (filter.Name is null || a.Name == filter.Name)
        && (filter.QueryText is null || a.Name.Contains(filter.QueryText, StringComparison.OrdinalIgnoreCase))
        && (filter.LastStopReason is null || a.LastStopReason == filter.LastStopReason)
        && (filter.Tags.Count == 0 || (filter.MatchAllTags ? filter.Tags.All(a.Tags.Contains) : filter.Tags.Any(a.Tags.Contains))));

    /// <summary>The agents that link to a block, which must exist.</summary>
    public IReadOnlyList<AgentSnapshot> ListForBlock(string blockId, PageQuery page)
    {
        lock (_lock)
        {
            var block = blocks.Get(blockId);
            var linked = _agents.Values.Where(a => a.BlockIds.Contains(block.Id)).OrderBy(a => a.Sequence);
            return [.. page.Apply(linked, a => a.Id).Select(Snapshot)];
        }
    }

    /// <summary>A sparse update: only the fields given change; a new <c>tool_ids</c> or <c>block_ids</c> replaces the links.</summary>
    public AgentSnapshot Modify(string id, AgentChanges changes)
    {
        lock (_lock)
        {
            var agent = AgentLocked(id);
            agent = agent with
            {
                Name = changes.Name ?? agent.Name,
                System = changes.System ?? agent.System,
                Description = changes.Description ?? agent.Description,
                Model = changes.Model ?? agent.Model,
                Embedding = changes.Embedding ?? agent.Embedding,
                Tags = changes.Tags ?? agent.Tags,
                Metadata = changes.Metadata ?? agent.Metadata,
                ToolRules = changes.ToolRules ?? agent.ToolRules,
                LastStopReason = changes.LastStopReason ?? agent.LastStopReason,
            };
            if (changes.ToolIds is { } toolIds)
            {
                RequireAll(Ids.Tool, toolIds, "Tool");
                var linked = toolIds.Distinct().Select(tools.Get).ToList();
                agent = linked.Aggregate(agent with { ToolIds = [] }, WithTool);
            }
            if (changes.BlockIds is { } blockIds)
            {
                RequireAll(Ids.Block, blockIds, "Block");
                agent = agent with { BlockIds = [.. blockIds.Distinct().Select(blocks.Get).Select(b => b.Id)] };
            }
            return Snapshot(ReplaceLocked(agent));
        }
    }

    public void Delete(string id)
    {
        lock (_lock)
        {
            _agents.Remove(AgentLocked(id).Id);
        }
    }

    /// <summary>Records how the agent's last run ended; an agent deleted while it ran is left alone.</summary>
    public void RecordRunEnd(string id, string stopReason, DateTimeOffset completedAt)
    {
        lock (_lock)
        {
            if (_agents.TryGetValue(id, out var agent))
            {
                _agents[id] = agent with { LastStopReason = stopReason, LastRunCompletion = completedAt };
            }
        }
    }

    private AgentEntity AgentLocked(string id)
    {
        Ids.Require(Ids.Agent, id, "Agent");
        return _agents.TryGetValue(id, out var agent) ? agent : throw LettaException.NotFound("Agent");
    }

    private static void RequireAll(string prefix, IEnumerable<string> ids, string what)
    {
        foreach (var id in ids)
        {
            Ids.Require(prefix, id, what);
        }
    }

    private AgentSnapshot Snapshot(AgentEntity agent) => new(agent, blocks.Find(agent.BlockIds), tools.Find(agent.ToolIds));

    private AgentEntity AddLocked(AgentEntity agent) => _agents[agent.Id] = agent with { Sequence = ++_sequence };

    private AgentEntity ReplaceLocked(AgentEntity agent) => _agents[agent.Id] = agent with { UpdatedAt = time.GetUtcNow() };
}
