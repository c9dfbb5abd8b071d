using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

// An agent's links: its core memory (blocks, found by label) and its tools with their approval rules.
public sealed partial class AgentStore
{
    public IReadOnlyList<BlockEntity> ListBlocks(string agentId, PageQuery page)
    {
        lock (_lock)
        {
            var agent = AgentLocked(agentId);
            return page.Apply(blocks.Find(agent.BlockIds).OrderBy(b => b.Sequence), b => b.Id);
        }
    }

    public BlockEntity GetBlock(string agentId, string label)
    {
        lock (_lock)
        {
            return BlockLocked(AgentLocked(agentId), label);
        }
    }

    /// <summary>Changes a block through the agent that links to it; a new label must not clash with the agent's other blocks.</summary>
    public BlockEntity ModifyBlock(string agentId, string label, BlockFields changes)
    {
        lock (_lock)
        {
            var agent = AgentLocked(agentId);
            var block = BlockLocked(agent, label);
            if (changes.Label is { } newLabel && newLabel != block.Label && blocks.Find(agent.BlockIds).Any(b => b.Label == newLabel))
            {
                throw LettaException.BadRequest($"Agent already has a block labelled '{newLabel}'");
            }
            return blocks.Modify(block.Id, changes);
        }
    }

    /// <summary>Rewrites the value of one of the agent's blocks, atomically (the memory tools); see <see cref="BlockStore.Edit"/>.</summary>
    public BlockEntity EditBlock(string agentId, string label, Func<BlockEntity, string> edit)
    {
        lock (_lock)
        {
            return blocks.Edit(BlockLocked(AgentLocked(agentId), label).Id, edit);
        }
    }

    public AgentSnapshot AttachBlock(string agentId, string blockId, bool attach)
    {
        lock (_lock)
        {
            var agent = AgentLocked(agentId);
            var block = blocks.Get(blockId);
            if (attach && !agent.BlockIds.Contains(block.Id))
            {
                if (blocks.Find(agent.BlockIds).Any(b => b.Label == block.Label))
                {
                    throw LettaException.BadRequest($"Agent already has a block labelled '{block.Label}'");
                }
                agent = agent with { BlockIds = [.. agent.BlockIds, block.Id] };
            }
            else if (!attach)
            {
                agent = agent with { BlockIds = [.. agent.BlockIds.Where(id => id != block.Id)] };
            }
            return Snapshot(ReplaceLocked(agent));
        }
    }

    /// <summary>Drops a deleted block from every agent that linked to it.</summary>
    public void UnlinkBlock(string blockId)
    {
        lock (_lock)
        {
            foreach (var agent in _agents.Values.Where(a => a.BlockIds.Contains(blockId)).ToList())
            {
                _agents[agent.Id] = agent with { BlockIds = [.. agent.BlockIds.Where(id => id != blockId)] };
            }
        }
    }

    public IReadOnlyList<ToolEntity> ListTools(string agentId, PageQuery page)
    {
        lock (_lock)
        {
            var agent = AgentLocked(agentId);
            return page.Apply(tools.Find(agent.ToolIds).OrderBy(t => t.Sequence), t => t.Id);
        }
    }

    public AgentSnapshot AttachTool(string agentId, string toolId, bool attach)
    {
        lock (_lock)
        {
            var agent = AgentLocked(agentId);
            var tool = tools.Get(toolId);
            agent = attach ? WithTool(agent, tool) : agent with { ToolIds = [.. agent.ToolIds.Where(id => id != tool.Id)] };
            return Snapshot(ReplaceLocked(agent));
        }
    }

    /// <summary>Drops a deleted tool from every agent that linked to it.</summary>
    public void UnlinkTool(string toolId)
    {
        lock (_lock)
        {
            foreach (var agent in _agents.Values.Where(a => a.ToolIds.Contains(toolId)).ToList())
            {
                _agents[agent.Id] = agent with { ToolIds = [.. agent.ToolIds.Where(id => id != toolId)] };
            }
        }
    }

    public AgentSnapshot SetToolApproval(string agentId, string toolName, bool requiresApproval)
    {
        lock (_lock)
        {
            var agent = AgentLocked(agentId);
            return Snapshot(ReplaceLocked(agent with { ToolRules = WithApprovalRule(agent.ToolRules, toolName, requiresApproval) }));
        }
    }

    /// <summary>Whether a call to <paramref name="toolName"/> waits for an approval: the agent has a <c>requires_approval</c> rule for it.</summary>
    public static bool RequiresApproval(AgentEntity agent, string toolName) => agent.ToolRules.OfType<JsonObject>().Any(r => IsApprovalRule(r, toolName));

    private BlockEntity BlockLocked(AgentEntity agent, string label) =>
        blocks.Find(agent.BlockIds).FirstOrDefault(b => b.Label == label)
        ?? throw new LettaException(StatusCodes.Status404NotFound, $"Block with label '{label}' not found for agent '{agent.Id}'");

    /// <summary>Links a tool; its name must be new to the agent, and a tool that asks for approval by default gets the rule.</summary>
    private AgentEntity WithTool(AgentEntity agent, ToolEntity tool)
    {
        if (agent.ToolIds.Contains(tool.Id))
        {
            return agent;
        }
        if (tools.Find(agent.ToolIds).Any(t => t.Name == tool.Name))
        {
            throw LettaException.BadRequest($"Agent already has a tool named '{tool.Name}'");
        }
        return agent with
        {
            ToolIds = [.. agent.ToolIds, tool.Id],
            ToolRules = tool.DefaultRequiresApproval == true ? WithApprovalRule(agent.ToolRules, tool.Name, true) : agent.ToolRules,
        };
    }

    /// <summary>The rules with at most one <c>requires_approval</c> rule for the tool, placed last.</summary>
    private static JsonArray WithApprovalRule(JsonArray rules, string toolName, bool requiresApproval)
    {
        var kept = new JsonArray([.. rules.Where(r => !(r is JsonObject rule && IsApprovalRule(rule, toolName))).Select(r => r?.DeepClone())]);
        if (requiresApproval)
        {
            kept.Add(new JsonObject { ["tool_name"] = toolName, ["type"] = "requires_approval", ["prompt_template"] = null });
        }
        return kept;
    }

    private static bool IsApprovalRule(JsonObject rule, string toolName) => rule.Str("type") == "requires_approval" && rule.Str("tool_name") == toolName;
}
