using System.Collections.Concurrent;
using LettaPlatform.Contracts.MemorySync;
using MassTransit;

namespace LettaPlatform.AgentManagement.Api.Tests.TestHost;

/// <summary>
/// Answers a host's <c>ReadAgentMemory</c> the way memory-sync would: the memory a test gave for an agent, or
/// "not known" for any other. <see cref="Silent"/> stops answering, as a memory-sync that is down.
/// </summary>
public sealed class MemorySyncStandIn
{
    private readonly ConcurrentDictionary<Guid, IReadOnlyList<AgentMemoryBlock>> _memory = new();
    private readonly ConcurrentDictionary<Guid, IReadOnlyList<AgentMemoryBlockVersion>> _history = new();

    public ConcurrentQueue<ReadAgentMemory> Requests { get; } = new();

    public bool Silent { get; set; }

    public void Remember(Guid agentId, params AgentMemoryBlock[] blocks) => _memory[agentId] = blocks;

    /// <summary>Every stored version of the agent's blocks, answered when a request asks for history.</summary>
    public void RememberHistory(Guid agentId, params AgentMemoryBlockVersion[] versions) => _history[agentId] = versions;

    public async Task ConnectAsync(IBus bus, string queue) =>
        await bus.ConnectReceiveEndpoint(queue, endpoint => endpoint.Handler<ReadAgentMemory>(RespondAsync)).Ready;

    private Task RespondAsync(ConsumeContext<ReadAgentMemory> context)
    {
        Requests.Enqueue(context.Message);
        if (Silent)
        {
            return Task.CompletedTask;
        }

        var known = _memory.TryGetValue(context.Message.AgentId, out var blocks);
        var history = known && context.Message.IncludeHistory ? _history.GetValueOrDefault(context.Message.AgentId, []) : [];
        return context.RespondAsync(new AgentMemoryRead { AgentId = context.Message.AgentId, Known = known, Blocks = known ? blocks! : [], History = history });
    }
}
