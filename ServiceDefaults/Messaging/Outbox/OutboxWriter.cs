using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.ServiceDefaults.Messaging.Outbox;

public static class OutboxDbContextExtensions
{
    /// <summary>The outbox of this context: messages staged on it are saved by the next <c>SaveChanges</c>.</summary>
    public static OutboxWriter Outbox(this DbContext db) => new(db);
}

/// <summary>
/// Stages messages in the outbox table. Nothing leaves the process until the surrounding
/// <c>SaveChanges</c> (or explicit transaction) commits; a rollback discards them with the business write.
/// </summary>
public readonly struct OutboxWriter(DbContext db)
{
    internal static readonly JsonSerializerOptions SerializerOptions = JsonSerializerOptions.Web;

    /// <summary>Stages <paramref name="message"/> to be published to every subscriber; returns its MessageId.</summary>
    public Guid Publish<T>(T message) where T : class => Stage(message, destinationAddress: null);

    /// <summary>Stages <paramref name="message"/> to be sent to one queue (<c>queue:name</c>); returns its MessageId.</summary>
    public Guid Send<T>(T message, Uri destinationAddress) where T : class => Stage(message, destinationAddress.ToString());

    private Guid Stage<T>(T message, string? destinationAddress) where T : class
    {
        ArgumentNullException.ThrowIfNull(message);

        var type = typeof(T);
        var entry = new OutboxMessage
        {
            Id = Guid.CreateVersion7(),
            MessageType = $"{type.FullName}, {type.Assembly.GetName().Name}",
            Body = JsonSerializer.Serialize(message, SerializerOptions),
            DestinationAddress = destinationAddress,
            CreatedAt = DateTimeOffset.UtcNow,
        };

        db.Set<OutboxMessage>().Add(entry);
        return entry.Id;
    }
}
