using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Turns;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.ServiceDefaults.Messaging.Idempotency;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.Chat.Api.Consumers;

/// <summary>
/// Relays a change of an agent's memory to the live streams of that agent's sessions as
/// <c>memory_updated</c>: appended to the event stream of each session with a running or recent
/// turn and announced on Redis pub/sub, so the stream is updated on whichever replica serves it.
/// </summary>
public sealed class MemoryBlockChangedConsumer(ChatDbContext db, TurnEventStore events, TurnLock turnLock) : IConsumer<MemoryBlockChanged>
{
    public async Task Consume(ConsumeContext<MemoryBlockChanged> context)
    {
        var change = context.Message;
        if (!await db.ConsumeOnceAsync(context, this, _ => Task.CompletedTask))
        {
            return;
        }

        var sessionIds = await db.Sessions.AsNoTracking()
            .Where(s => s.AgentId == change.AgentId && s.UserId == change.UserId)
            .Select(s => s.Id)
            .ToListAsync(context.CancellationToken);

        foreach (var sessionId in sessionIds)
        {
            if (await events.ExistsAsync(sessionId) || await turnLock.IsHeldAsync(sessionId))
            {
                await events.AppendAsync(sessionId, ChatEventTypes.MemoryUpdated,
                    ChatEvent.Create(ChatEventTypes.MemoryUpdated, new MemoryUpdatedData(change.Label, change.Version, change.Author)));
            }
        }
    }
}
