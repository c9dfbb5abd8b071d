namespace LettaPlatform.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// A message staged in the service's own database in the same transaction as the business write,
/// and published by <see cref="OutboxRelay{TContext}"/> once committed. <see cref="Id"/> becomes the
/// MassTransit <c>MessageId</c>, so consumers can tell a redelivery from a new message.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; }

    /// <summary>Commit order within the table; the relay publishes in this order.</summary>
    public long Sequence { get; init; }

    /// <summary>The message's CLR type as <c>Namespace.Type, Assembly</c>.</summary>
    public required string MessageType { get; init; }

    /// <summary>The message serialized as JSON.</summary>
    public required string Body { get; init; }

    /// <summary>A queue address (<c>queue:name</c>) for a command sent point to point; null to publish.</summary>
    public string? DestinationAddress { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DispatchedAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}
