namespace LettaPlatform.ServiceDefaults.Messaging.Idempotency;

/// <summary>Records that a consumer has applied the effect of one message, keyed by (consumer, MessageId).</summary>
public sealed class ProcessedMessage
{
    public required string Consumer { get; init; }

    public required Guid MessageId { get; init; }

    public DateTimeOffset ProcessedAt { get; init; }
}
