using LettaPlatform.Contracts.Diagnostics;
using LettaPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace LettaPlatform.ServiceDefaults.Diagnostics;

/// <summary>Answers a <see cref="PingService"/> on this service's own queue, naming the replica that answered.</summary>
public sealed class PingServiceConsumer(ServiceIdentity identity, TimeProvider timeProvider) : IConsumer<PingService>
{
    public static string QueueName(string serviceName) => $"ping-{serviceName}";

    public Task Consume(ConsumeContext<PingService> context) =>
        context.RespondAsync(new ServicePonged
        {
            Service = identity.Name,
            Instance = identity.Instance,
            Nonce = context.Message.Nonce,
            ReceivedAt = timeProvider.GetUtcNow(),
        });
}

/// <summary>Received on <c>ping-&lt;service-name&gt;</c>, where <see cref="PingApi"/> of any service sends.</summary>
public sealed class PingServiceConsumerDefinition(QueueNames queues, ServiceIdentity identity)
    : RequestConsumerDefinition<PingServiceConsumer>(queues, PingServiceConsumer.QueueName(identity.Name));
