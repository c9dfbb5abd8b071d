using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Services;
using MassTransit;

namespace LettaPlatform.MemorySync.Api.Consumers;

/// <summary>
/// Records a new agent and its initial blocks (read from Letta) as <c>system</c> versions. Idempotent by
/// nature: registration is an upsert and blocks are only versioned when their value differs.
/// </summary>
public sealed partial class AgentProvisionedConsumer(AgentDirectory directory, ILogger<AgentProvisionedConsumer> logger) : IConsumer<AgentProvisioned>
{
    public async Task Consume(ConsumeContext<AgentProvisioned> context)
    {
        var message = context.Message;
        try
        {
            await directory.RegisterAsync(
                new AgentRegistration(message.AgentId, message.UserId, message.LettaInstance, message.LettaAgentId, message.TemplateId, message.ProjectBlock),
                null,
                context.CancellationToken);
        }
        catch (LettaNotFoundException)
        {
            // Deleted again before we read it; its AgentDeleted follows, and there is no memory to keep.
            LogAgentMissing(message.AgentId, message.LettaAgentId);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Provisioned agent {AgentId} ({LettaAgentId}) is not in Letta; not registered")]
    private partial void LogAgentMissing(Guid agentId, string lettaAgentId);
}
