using LettaPlatform.ServiceDefaults.Messaging.Idempotency;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.ServiceDefaults.Messaging;

public static class OutboxModelBuilderExtensions
{
    internal const string ProcessedMessagesPrimaryKey = "pk_processed_messages";

    /// <summary>Adds the <c>outbox_messages</c> and <c>processed_messages</c> tables to a service's model.</summary>
    public static ModelBuilder AddOutbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.HasKey(m => m.Id).HasName("pk_outbox_messages");
            outbox.Property(m => m.Id).HasColumnName("id").ValueGeneratedNever();
            outbox.Property(m => m.Sequence).HasColumnName("sequence").UseIdentityAlwaysColumn();
            outbox.Property(m => m.MessageType).HasColumnName("message_type").HasMaxLength(500);
            outbox.Property(m => m.Body).HasColumnName("body").HasColumnType("jsonb");
            outbox.Property(m => m.DestinationAddress).HasColumnName("destination_address").HasMaxLength(500);
            outbox.Property(m => m.CreatedAt).HasColumnName("created_at");
            outbox.Property(m => m.DispatchedAt).HasColumnName("dispatched_at");
            outbox.Property(m => m.Attempts).HasColumnName("attempts");
            outbox.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(2000);
            outbox.HasIndex(m => m.Sequence)
                .HasDatabaseName("ix_outbox_messages_pending")
                .HasFilter("dispatched_at IS NULL");
            outbox.HasIndex(m => m.DispatchedAt).HasDatabaseName("ix_outbox_messages_dispatched_at");
        });

        modelBuilder.Entity<ProcessedMessage>(processed =>
        {
            processed.ToTable("processed_messages");
            processed.HasKey(m => new { m.Consumer, m.MessageId }).HasName(ProcessedMessagesPrimaryKey);
            processed.Property(m => m.Consumer).HasColumnName("consumer").HasMaxLength(200);
            processed.Property(m => m.MessageId).HasColumnName("message_id");
            processed.Property(m => m.ProcessedAt).HasColumnName("processed_at");
            processed.HasIndex(m => m.ProcessedAt).HasDatabaseName("ix_processed_messages_processed_at");
        });

        return modelBuilder;
    }
}
