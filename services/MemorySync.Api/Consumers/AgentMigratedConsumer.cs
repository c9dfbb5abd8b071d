using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Services;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.MemorySync.Api.Consumers;

/// <summary>
/// Points the agent at its new Letta agent and makes sure its latest memory is there: an agent re-created
/// with memory-sync's memory (<see cref="AgentMigrated.CreatedWithMemory"/>) already holds it, so only what
/// changed since is pushed; otherwise every block is pushed. Never writes a version. Idempotent: a redelivery
/// finds the agent already moved and Letta already holding the values.
/// </summary>
public sealed partial class AgentMigratedConsumer(
    MemorySyncDbContext db,
    AgentDirectory directory,
    BlockSync sync,
    ILogger<AgentMigratedConsumer> logger) : IConsumer<AgentMigrated>
{
    public async Task Consume(ConsumeContext<AgentMigrated> context)
    {
        var message = context.Message;
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Id == message.AgentId, context.CancellationToken);
        if (agent is null)
        {
            // Never seen: there is no memory of ours to restore, so take the new agent's as the start.
            await directory.RegisterAsync(
                new AgentRegistration(message.AgentId, message.UserId, message.ToLettaInstance, message.ToLettaAgentId, null, message.ProjectBlock),
                null,
                context.CancellationToken);
            return;
        }

        if (agent.LettaInstance == message.FromLettaInstance && agent.LettaAgentId == message.FromLettaAgentId)
        {
            agent.LettaInstance = message.ToLettaInstance;
            agent.LettaAgentId = message.ToLettaAgentId;
            await db.SaveChangesAsync(context.CancellationToken);
        }
        else if (agent.LettaInstance != message.ToLettaInstance || agent.LettaAgentId != message.ToLettaAgentId)
        {
            LogOutOfOrder(agent.Id, message.ToLettaAgentId, agent.LettaAgentId);
            return;
        }

        if (message.ProjectBlock is { } projectBlock)
        {
            // The new Letta agent holds the project's block again (re-attached, not copied); it is not the agent's to restore.
            await directory.JoinProjectAsync(agent.Id, agent.UserId, message.ToLettaInstance, message.ToLettaAgentId, projectBlock, context.CancellationToken);
        }

        if (message.CreatedWithMemory is { } createdWith)
        {
            await sync.AdoptRecreatedAsync(agent.Id, createdWith, context.CancellationToken);
        }
        else
        {
            await sync.RestoreOntoLettaAsync(agent.Id, context.CancellationToken);
        }

        LogRestored(agent.Id, message.ToLettaInstance, message.ToLettaAgentId, message.Reason);
    }

    [LoggerMessage(LogLevel.Warning, "AgentMigrated for {AgentId} to {LettaAgentId} ignored: the agent is at {CurrentLettaAgentId}")]
    private partial void LogOutOfOrder(Guid agentId, string lettaAgentId, string currentLettaAgentId);

    [LoggerMessage(LogLevel.Information, "Restored the memory of agent {AgentId} onto {Instance}/{LettaAgentId} ({Reason})")]
    private partial void LogRestored(Guid agentId, string instance, string lettaAgentId, string reason);
}
