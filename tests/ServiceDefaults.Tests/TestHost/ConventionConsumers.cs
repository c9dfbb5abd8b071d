using System.Collections.Concurrent;
using LettaPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace LettaPlatform.ServiceDefaults.Tests.TestHost;

public record Echo
{
    public required Guid Id { get; init; }

    /// <summary>How many deliveries of this message fail before one succeeds.</summary>
    public required int Failures { get; init; }
}

public record Echoed
{
    public required Guid Id { get; init; }
}

public record SomethingHappened
{
    public required Guid Id { get; init; }

    /// <summary>How many deliveries of this message fail before one succeeds.</summary>
    public required int Failures { get; init; }
}

/// <summary>How often each message was delivered to a consumer, retries included.</summary>
public sealed class Attempts
{
    private readonly ConcurrentDictionary<Guid, int> _counts = new();

    public int Of(Guid id) => _counts.GetValueOrDefault(id);

    /// <summary>Counts this delivery and fails it while the message asks for more failures.</summary>
    public void CountOrFail(Guid id, int failures)
    {
        if (_counts.AddOrUpdate(id, 1, (_, count) => count + 1) <= failures)
        {
            throw new InvalidOperationException($"Delivery {_counts[id]} of {id} fails on purpose.");
        }
    }
}

public sealed class EchoConsumer(Attempts attempts) : IConsumer<Echo>
{
    public const string Queue = "echo";

    public Task Consume(ConsumeContext<Echo> context)
    {
        attempts.CountOrFail(context.Message.Id, context.Message.Failures);
        return context.RespondAsync(new Echoed { Id = context.Message.Id });
    }
}

public sealed class EchoConsumerDefinition(QueueNames queues) : RequestConsumerDefinition<EchoConsumer>(queues, EchoConsumer.Queue);

public sealed class SomethingHappenedConsumer(Attempts attempts, Deliveries<SomethingHappened> deliveries) : IConsumer<SomethingHappened>
{
    public Task Consume(ConsumeContext<SomethingHappened> context)
    {
        attempts.CountOrFail(context.Message.Id, context.Message.Failures);
        deliveries.Add(context.MessageId, context.Message);
        return Task.CompletedTask;
    }
}
