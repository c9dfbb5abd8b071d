using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.MemorySync.Api.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.MemorySync.Api.Consumers;

/// <summary>
/// Marks the agent deleted: its routes answer 404 and nothing syncs it any more. The history and snapshots
/// stay, since a person may want their agent's memory back; pending pushes stop. Idempotent: the first
/// deletion time wins.
/// </summary>
public sealed class AgentDeletedConsumer(MemorySyncDbContext db) : IConsumer<AgentDeleted>
{
    public async Task Consume(ConsumeContext<AgentDeleted> context) =>
        await db.Agents
            .Where(a => a.Id == context.Message.AgentId && a.DeletedAt == null)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.DeletedAt, context.Message.DeletedAt), context.CancellationToken);
}
