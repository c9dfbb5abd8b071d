using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Contracts.Chat;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Consumers;

/// <summary>
/// Records when each agent was last used, from chat's <see cref="ChatTurnCompleted"/>: resolutions are mostly
/// answered from the cache without touching the agent's row, so completed turns are what tells archiving an agent
/// is still in use. Idempotent and order-free: the time only ever moves forward.
/// </summary>
public sealed class AgentActivityConsumer(AgentManagementDbContext db) : IConsumer<ChatTurnCompleted>
{
    public async Task Consume(ConsumeContext<ChatTurnCompleted> context)
    {
        var message = context.Message;
        await db.AgentConfigs
            .Where(a => a.Id == message.AgentId && a.Status == AgentStatus.Active && a.LastActiveAt < message.CompletedAt)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.LastActiveAt, message.CompletedAt), context.CancellationToken);
    }
}
