using LettaPlatform.LettaDev.Engine;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Tests.Stores;

public sealed class AgentStoreTests
{
    private static readonly PageQuery All = new(null, null, null, "asc");

    private readonly StoreSet _stores = new();

    [Theory]
    [InlineData("letta_v1_agent", new[] { BaseTools.MemoryInsert, BaseTools.MemoryReplace, BaseTools.ConversationSearch })]
    [InlineData("memgpt_agent", new[] { BaseTools.CoreMemoryAppend, BaseTools.CoreMemoryReplace, BaseTools.ConversationSearch })]
    public void Create_WithBaseTools_GetsTheToolsOfItsType(string agentType, string[] expected)
    {
        var agent = _stores.Agent(agentType: agentType);

        Assert.Equal(expected, agent.Tools.Select(t => t.Name));
    }

    [Fact]
    public void Create_MemoryAndSharedBlocks_LinksMemoryFirst()
    {
        var shared = _stores.Block("team", "shared");

        var agent = _stores.Agents.Create(new NewAgent { MemoryBlocks = [StoreSet.Memory("persona", "p")], BlockIds = [shared.Id, shared.Id] });

        Assert.Equal(["persona", "team"], agent.Blocks.Select(b => b.Label));
        Assert.Equal("agent-1", agent.Agent.Name);
    }

    [Fact]
    public void Create_RefusedForAnUnknownTool_LeavesNoBlocksBehind()
    {
        var blocksBefore = _stores.Blocks.Count(new BlockFilter(null, [], false, null, null));

        LettaAssert.Fails(404, () => _stores.Agents.Create(new NewAgent { MemoryBlocks = [StoreSet.Memory("persona", "p")], ToolNames = ["missing"] }));

        Assert.Equal(blocksBefore, _stores.Blocks.Count(new BlockFilter(null, [], false, null, null)));
        Assert.Equal(0, _stores.Agents.Count(new AgentFilter(null, [], false, null, null)));
    }

    [Fact]
    public void Create_SharedBlockWithAMemoryBlocksLabel_Is400()
    {
        var shared = _stores.Block("persona");

        var error = LettaAssert.Fails(400, () => _stores.Agents.Create(new NewAgent { MemoryBlocks = [StoreSet.Memory("persona", "p")], BlockIds = [shared.Id] }));

        Assert.Equal("Duplicate block label 'persona' on agent", error.Message);
    }

    [Fact]
    public void AttachTool_ThatAsksForApproval_AddsOneRequiresApprovalRule()
    {
        var agent = _stores.Agent();
        var tool = _stores.Tool("deploy", requiresApproval: true);

        var attached = _stores.Agents.AttachTool(agent.Agent.Id, tool.Id, attach: true);
        var again = _stores.Agents.SetToolApproval(agent.Agent.Id, "deploy", requiresApproval: true);

        Assert.Contains(attached.Tools, t => t.Id == tool.Id);
        Assert.True(AgentStore.RequiresApproval(again.Agent, "deploy"));
        Assert.Single(again.Agent.ToolRules);
    }

    [Fact]
    public void SetToolApproval_False_RemovesOnlyThatToolsRule()
    {
        var agent = _stores.Agents.Create(new NewAgent
        {
            ToolRules = [new JsonObject { ["type"] = "run_first", ["tool_name"] = "deploy" }],
            IncludeBaseTools = false,
        });
        _stores.Agents.SetToolApproval(agent.Agent.Id, "deploy", true);
        _stores.Agents.SetToolApproval(agent.Agent.Id, "other", true);

        var changed = _stores.Agents.SetToolApproval(agent.Agent.Id, "deploy", false);

        Assert.False(AgentStore.RequiresApproval(changed.Agent, "deploy"));
        Assert.True(AgentStore.RequiresApproval(changed.Agent, "other"));
        Assert.Equal(["run_first", "requires_approval"], changed.Agent.ToolRules.Select(r => r!.AsObject().Str("type")));
    }

    [Fact]
    public void Modify_Refused_LeavesTheAgentAsItWas()
    {
        var agent = _stores.Agent("before");

        LettaAssert.Fails(404, () => _stores.Agents.Modify(agent.Agent.Id, new AgentChanges { Name = "after", ToolIds = [Ids.New(Ids.Tool)] }));

        var read = _stores.Agents.Get(agent.Agent.Id);
        Assert.Equal("before", read.Agent.Name);
        Assert.Equal(agent.Agent.ToolIds, read.Agent.ToolIds);
    }

    [Fact]
    public void ModifyBlock_ToALabelTheAgentAlreadyHas_Is400()
    {
        var agent = _stores.Agent(memory: [StoreSet.Memory("persona", "p"), StoreSet.Memory("human", "h")]);

        var error = LettaAssert.Fails(400, () => _stores.Agents.ModifyBlock(agent.Agent.Id, "human", new BlockFields(null, "persona", null, null, null, null, null)));

        Assert.Equal("Agent already has a block labelled 'persona'", error.Message);
        Assert.Equal("h", _stores.Agents.GetBlock(agent.Agent.Id, "human").Value);
    }

    [Fact]
    public void EditBlock_UnknownLabel_Is404NamingLabelAndAgent()
    {
        var agent = _stores.Agent(memory: [StoreSet.Memory("persona", "p")]);

        var error = LettaAssert.Fails(404, () => _stores.Agents.EditBlock(agent.Agent.Id, "human", b => b.Value + "!"));

        Assert.Equal($"Block with label 'human' not found for agent '{agent.Agent.Id}'", error.Message);
    }

    [Fact]
    public void SharedBlock_EditedThroughOneAgent_IsSeenByTheOther()
    {
        var shared = _stores.Block("team", "v1");
        var first = _stores.Agents.Create(new NewAgent { BlockIds = [shared.Id] });
        var second = _stores.Agents.Create(new NewAgent { BlockIds = [shared.Id] });

        _stores.Agents.EditBlock(first.Agent.Id, "team", _ => "v2");

        Assert.Equal("v2", _stores.Agents.GetBlock(second.Agent.Id, "team").Value);
        Assert.Equal([first.Agent.Id, second.Agent.Id], _stores.Agents.ListForBlock(shared.Id, All).Select(a => a.Agent.Id));
    }

    [Fact]
    public void DeletedBlock_IsSkippedOnRead_AndUnlinkDropsTheId()
    {
        var shared = _stores.Block("team");
        var agent = _stores.Agents.Create(new NewAgent { BlockIds = [shared.Id] });

        _stores.Blocks.Delete(shared.Id);
        var beforeUnlink = _stores.Agents.Get(agent.Agent.Id);
        _stores.Agents.UnlinkBlock(shared.Id);

        Assert.Empty(beforeUnlink.Blocks);
        Assert.Empty(_stores.Agents.Get(agent.Agent.Id).Agent.BlockIds);
    }

    [Fact]
    public void RecordRunEnd_KeepsStopReason_AndIgnoresADeletedAgent()
    {
        var agent = _stores.Agent();
        var gone = _stores.Agent("gone");
        _stores.Agents.Delete(gone.Agent.Id);

        _stores.Agents.RecordRunEnd(agent.Agent.Id, "end_turn", _stores.Time.Now);
        _stores.Agents.RecordRunEnd(gone.Agent.Id, "end_turn", _stores.Time.Now);

        Assert.Equal("end_turn", _stores.Agents.Get(agent.Agent.Id).Agent.LastStopReason);
        Assert.Single(_stores.Agents.List(new AgentFilter(null, [], false, null, "end_turn"), All));
    }
}
