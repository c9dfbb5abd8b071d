using MassTransit;

namespace LettaPlatform.ServiceDefaults.Messaging;

/// <summary>
/// A consumer of published events: it has a queue of its own, named by <see cref="QueueNames.Formatter"/>
/// after the consumer and shared by the replicas of its service. Consumer class names are therefore unique
/// across the services: two services with a consumer of the same name would share one queue, each getting
/// only some of the messages. A message that fails is retried with backoff for about a quarter of a minute
/// (long enough for a database or Letta to come back from a restart), then moved to the queue's
/// <c>_error</c> queue. Concurrency is MassTransit's default; a consumer whose dependency needs a bound
/// derives from this and sets <see cref="ConsumerDefinition{TConsumer}.ConcurrentMessageLimit"/>.
/// </summary>
public class EventConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(retry => retry.Exponential(
            retryLimit: 5,
            minInterval: TimeSpan.FromMilliseconds(200),
            maxInterval: TimeSpan.FromSeconds(10),
            intervalDelta: TimeSpan.FromMilliseconds(500)));
}

/// <summary>
/// A consumer of a command or request that other services send point to point: it receives on the queue
/// they address, whose name is kept beside the message in Contracts. It is retried briefly only: the
/// requester waits a few seconds for the answer, and an answer that comes later is thrown away.
/// </summary>
public abstract class RequestConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected RequestConsumerDefinition(QueueNames queues, string queue) => EndpointName = queues.Name(queue);

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)));
}
