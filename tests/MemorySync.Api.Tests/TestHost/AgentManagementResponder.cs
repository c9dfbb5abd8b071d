using System.Collections.Concurrent;
using LettaPlatform.Contracts.AgentManagement;
using MassTransit;

namespace LettaPlatform.MemorySync.Api.Tests.TestHost;

/// <summary>
/// Answers a host's <c>ResolveAgent</c> requests the way agent-management would: <see cref="AgentResolved"/>
/// for the agents a test has made known to it (to their owner only), <see cref="AgentNotFound"/> otherwise.
/// </summary>
public sealed class AgentManagementResponder : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, AgentResolved> _agents = new();
    private HostReceiveEndpointHandle? _endpoint;

    public static async Task<AgentManagementResponder> ConnectAsync(MemorySyncHost host)
    {
        var responder = new AgentManagementResponder();
        responder._endpoint = host.Bus.ConnectReceiveEndpoint(host.ResolveAgentQueue, endpoint => endpoint.Handler<ResolveAgent>(responder.RespondAsync));
        await responder._endpoint.Ready;
        return responder;
    }

    public void Know(TestAgent agent) => _agents[agent.Id] = new AgentResolved
    {
        AgentId = agent.Id,
        UserId = agent.UserId,
        TemplateId = "code-assistant",
        TemplateVersion = 1,
        LettaInstance = agent.Instance,
        LettaAgentId = agent.LettaAgentId,
        Tools = [],
    };

    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.StopAsync();
        }
    }

    private Task RespondAsync(ConsumeContext<ResolveAgent> context) =>
        context.Message.AgentId is { } id && _agents.TryGetValue(id, out var agent) && agent.UserId == context.Message.UserId
            ? context.RespondAsync(agent)
            : context.RespondAsync(new AgentNotFound { UserId = context.Message.UserId, AgentId = context.Message.AgentId, Reason = "no such agent for this user" });
}
