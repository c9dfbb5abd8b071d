using LettaPlatform.AgentManagement.Client;
using LettaPlatform.Contracts.AgentManagement;
using MassTransit;

namespace LettaPlatform.Chat.Api.Consumers;

/// <summary>
/// Drops the cached resolution of an agent that moved to another Letta agent or instance, or was
/// deleted, so the next turn asks agent-management again instead of talking to the old Letta agent.
/// </summary>
public sealed class AgentChangedConsumer(AgentDirectoryClient agents) : IConsumer<AgentMigrated>, IConsumer<AgentDeleted>
{
    public Task Consume(ConsumeContext<AgentMigrated> context) =>
        agents.ForgetAsync(context.Message.UserId, context.Message.AgentId, context.CancellationToken);

    public Task Consume(ConsumeContext<AgentDeleted> context) =>
        agents.ForgetAsync(context.Message.UserId, context.Message.AgentId, context.CancellationToken);
}
