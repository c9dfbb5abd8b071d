using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LettaPlatform.ServiceDefaults.Messaging.Idempotency;

public static class IdempotentConsumerExtensions
{
    /// <summary>
    /// Applies <paramref name="effect"/> at most once per (consumer, MessageId): records the message in
    /// <c>processed_messages</c> and saves the effect's changes in one transaction. Returns false, and
    /// changes nothing, when this consumer has already processed the message (a redelivery, or the
    /// outbox relay republishing after a crash). The effect should only change <paramref name="db"/>;
    /// it may stage outbox messages, which then commit with it.
    /// </summary>
    public static Task<bool> ConsumeOnceAsync<TMessage>(
        this DbContext db,
        ConsumeContext<TMessage> context,
        IConsumer<TMessage> consumer,
        Func<CancellationToken, Task> effect)
        where TMessage : class
        => db.ConsumeOnceAsync(context, consumer.GetType().Name, effect);

    /// <inheritdoc cref="ConsumeOnceAsync{TMessage}(DbContext, ConsumeContext{TMessage}, IConsumer{TMessage}, Func{CancellationToken, Task})"/>
    public static async Task<bool> ConsumeOnceAsync(
        this DbContext db,
        ConsumeContext context,
        string consumerName,
        Func<CancellationToken, Task> effect)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException("The message has no MessageId, so its processing cannot be made idempotent.");

        var attempt = 0;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async cancellationToken =>
        {
            if (attempt++ > 0)
            {
                // A transient failure rolled the transaction back; start from a clean slate.
                db.ChangeTracker.Clear();
            }

            var processed = db.Set<ProcessedMessage>();
            if (await processed.AnyAsync(m => m.Consumer == consumerName && m.MessageId == messageId, cancellationToken))
            {
                return false;
            }

            // The message's effect commits or rolls back whole: no savepoint around its save (two more round trips).
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            processed.Add(new ProcessedMessage { Consumer = consumerName, MessageId = messageId, ProcessedAt = DateTimeOffset.UtcNow });
            await effect(cancellationToken);

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException
            {
                SqlState: PostgresErrorCodes.UniqueViolation,
                ConstraintName: OutboxModelBuilderExtensions.ProcessedMessagesPrimaryKey,
            })
            {
                // Another delivery of the same message won the race and has committed the effect.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return false;
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }, context.CancellationToken);
    }
}
