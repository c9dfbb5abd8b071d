using LettaPlatform.AgentManagement.Api.Services;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace LettaPlatform.AgentManagement.Api.Consumers;

/// <summary>
/// Answers <see cref="ResolveAgent"/> with <see cref="AgentResolved"/> or <see cref="AgentNotFound"/>, and a
/// re-resolve after Letta lost the agent (<see cref="ResolveAgent.LettaAgentMissing"/>) with
/// <see cref="AgentRuntimeUnavailable"/> while Letta cannot be reached to re-create it.
/// A redelivery is harmless without a processed-messages record: resolving only reads, and
/// provisioning is idempotent through the unique (user, template, project) claim. When Letta or
/// PostgreSQL is unavailable the request faults, which the requester sees as a RequestFaultException.
/// </summary>
public sealed class ResolveAgentConsumer(AgentResolver resolver) : IConsumer<ResolveAgent>
{
    public async Task Consume(ConsumeContext<ResolveAgent> context)
    {
        var request = context.Message;
        if (string.IsNullOrWhiteSpace(request.UserId) || (request.AgentId is null && string.IsNullOrWhiteSpace(request.TemplateId)))
        {
            await context.RespondAsync(NotFound(request, "invalid_request"));
            return;
        }

        if (request.AgentId is { } agentId)
        {
            AgentResolved? resolved;
            try
            {
                resolved = await resolver.ResolveByIdAsync(request.UserId, agentId, request.LettaAgentMissing, context.CancellationToken);
            }
            catch (LettaRuntimeUnavailableException ex)
            {
                await context.RespondAsync(new AgentRuntimeUnavailable { UserId = request.UserId, AgentId = agentId, Reason = ex.Reason });
                return;
            }

            await (resolved is null ? context.RespondAsync(NotFound(request, "not_found")) : context.RespondAsync(resolved));
            return;
        }

        try
        {
            await context.RespondAsync(await resolver.ResolveByTemplateAsync(
                request.UserId, request.TemplateId!, request.ProjectId, request.LettaAgentMissing, context.CancellationToken));
        }
        catch (UnknownTemplateException)
        {
            await context.RespondAsync(NotFound(request, "unknown_template"));
        }
    }

    private static AgentNotFound NotFound(ResolveAgent request, string reason) => new()
    {
        UserId = request.UserId,
        AgentId = request.AgentId,
        Reason = reason,
    };
}

/// <summary>Received on <see cref="AgentManagementQueues.ResolveAgent"/>, where chat-api, tool-execution-api and memory-sync-api send it.</summary>
public sealed class ResolveAgentConsumerDefinition(QueueNames queues)
    : RequestConsumerDefinition<ResolveAgentConsumer>(queues, AgentManagementQueues.ResolveAgent);
