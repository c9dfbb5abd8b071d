using LettaPlatform.LettaDev.Engine;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Tests.Stores;

/// <summary>A clock that moves only when a test moves it.</summary>
public sealed class ManualTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>The stores wired as LettaDev wires them, without HTTP.</summary>
public sealed class StoreSet
{
    public StoreSet()
    {
        Blocks = new BlockStore(Time);
        Tools = new ToolStore(Time);
        Agents = new AgentStore(Blocks, Tools, Time);
        Conversations = new ConversationStore(Agents, Time);
    }

    public ManualTime Time { get; } = new();
    public BlockStore Blocks { get; }
    public ToolStore Tools { get; }
    public AgentStore Agents { get; }
    public ConversationStore Conversations { get; }

    public BlockEntity Block(string label, string value = "", params string[] tags) =>
        Blocks.Create(new BlockFields(value, label, null, null, null, null, tags));

    public AgentSnapshot Agent(string name = "tester", string agentType = AgentEntity.DefaultAgentType, params BlockFields[] memory) =>
        Agents.Create(new NewAgent { Name = name, AgentType = agentType, MemoryBlocks = memory });

    public ToolEntity Tool(string name, bool? requiresApproval = null) =>
        Tools.Create(new NewTool { Name = name, SourceCode = $"def {name}(): pass", DefaultRequiresApproval = requiresApproval }, upsert: false);

    public static BlockFields Memory(string label, string value) => new(value, label, null, null, null, null, null);
}

public static class LettaAssert
{
    public static LettaException Fails(int status, Action action)
    {
        var error = Assert.Throws<LettaException>(action);
        Assert.Equal(status, error.Status);
        return error;
    }
}
