using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.MemorySync.Api.Data;
using MassTransit;
using LettaPlatform.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.MemorySync.Api.Consumers;

/// <summary>
/// Answers <see cref="ReadAgentMemory"/> with the latest version of every block of the agent (and, when asked, every stored version): what a person
/// (or the agent) last wrote, pending or not, is what a re-created agent must start with. Only reads.
/// </summary>
public sealed class ReadAgentMemoryConsumer(MemorySyncDbContext db) : IConsumer<ReadAgentMemory>
{
    public async Task Consume(ConsumeContext<ReadAgentMemory> context)
    {
        var request = context.Message;
        var agent = await db.Agents.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Id == request.AgentId && a.UserId == request.UserId && a.DeletedAt == null && !a.IsProject, context.CancellationToken);
        var known = agent is not null;
        var projectId = agent?.ProjectId;
        // With the project's shared blocks: a block Letta lost is made again from their latest value.
        var blocks = known
            ? await db.Blocks.AsNoTracking().Where(b => b.AgentId == request.AgentId || b.AgentId == projectId).OrderBy(b => b.Label)
                .Select(b => new AgentMemoryBlock { Label = b.Label, Value = b.Value, Limit = b.Limit, Version = b.CurrentVersion })
                .ToListAsync(context.CancellationToken)
            : [];
        var history = known && request.IncludeHistory
            ? await db.Versions.AsNoTracking().Where(v => v.AgentId == request.AgentId).OrderBy(v => v.Label).ThenBy(v => v.Version)
                .Select(v => new AgentMemoryBlockVersion { Label = v.Label, Version = v.Version, Value = v.Value, Author = v.Author, CreatedAt = v.CreatedAt })
                .ToListAsync(context.CancellationToken)
            : [];
        await context.RespondAsync(new AgentMemoryRead { AgentId = request.AgentId, Known = known, Blocks = blocks, History = history });
    }
}

public sealed class ReadAgentMemoryConsumerDefinition(QueueNames queues)
    : RequestConsumerDefinition<ReadAgentMemoryConsumer>(queues, MemorySyncQueues.ReadAgentMemory);
