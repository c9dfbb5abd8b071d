using System.Text.Json;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging.Idempotency;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LettaPlatform.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// Publishes the committed rows of <typeparamref name="TContext"/>'s outbox, oldest first, with the
/// row id as MessageId. Each batch is claimed with <c>FOR UPDATE SKIP LOCKED</c>, so replicas share
/// the work without publishing a row twice at the same time. A broker failure leaves the row (and
/// everything after it) in the table and retries with backoff; nothing is marked dispatched unless
/// the broker accepted it. A crash between publish and commit republishes the same MessageId,
/// which idempotent consumers ignore.
/// </summary>
public sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopeFactory,
    IBus bus,
    WakeSignal<OutboxRelay<TContext>> signal,
    DatabaseInitializationState<TContext> database,
    IOptions<OutboxOptions> options,
    OutboxMetrics metrics,
    TimeProvider timeProvider,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromHours(1);

    private readonly OutboxOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await database.Migrated.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var retryDelay = _options.MinRetryDelay;
        var nextCleanup = timeProvider.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            BatchResult result;
            try
            {
                result = await DispatchBatchAsync(stoppingToken);
                if (timeProvider.GetUtcNow() >= nextCleanup)
                {
                    await DeleteExpiredAsync(stoppingToken);
                    nextCleanup = timeProvider.GetUtcNow() + CleanupInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRelayFailed(ex, typeof(TContext).Name);
                result = BatchResult.Failed;
            }

            switch (result)
            {
                case BatchResult.Failed:
                    await Delay(retryDelay, stoppingToken);
                    retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
                    break;
                case BatchResult.Full:
                    retryDelay = _options.MinRetryDelay;
                    break;
                default:
                    retryDelay = _options.MinRetryDelay;
                    await signal.WaitAsync(_options.PollInterval, stoppingToken);
                    break;
            }
        }
    }

    private async Task<BatchResult> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var strategy = db.Database.CreateExecutionStrategy();

        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();

            // The batch commits or rolls back whole: no savepoint around its save (two more round trips per batch).
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);

            var batch = await db.Set<OutboxMessage>()
                // Its columns named, not *: the statement is prepared once per connection (ServiceConnectionString), and a
                // prepared * would fail once on each pooled connection after a deploy adds a column to the table.
                .FromSql($"SELECT id, sequence, message_type, body, destination_address, created_at, dispatched_at, attempts, last_error FROM outbox_messages WHERE dispatched_at IS NULL ORDER BY sequence LIMIT {_options.BatchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(ct);

            var failed = false;
            foreach (var message in batch)
            {
                try
                {
                    await DispatchAsync(message, ct);
                    message.DispatchedAt = timeProvider.GetUtcNow();
                    message.Attempts++;
                    message.LastError = null;
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    message.Attempts++;
                    message.LastError = Truncate($"{ex.GetType().Name}: {ex.Message}", 2000);
                    LogDispatchFailed(ex, message.Id, message.MessageType, message.Attempts);

                    // Stop here so later messages do not overtake this one.
                    failed = true;
                    break;
                }
            }

            metrics.Pending(batch.FirstOrDefault(message => message.DispatchedAt is null)?.CreatedAt);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);

            return failed ? BatchResult.Failed
                : batch.Count == _options.BatchSize ? BatchResult.Full
                : BatchResult.Drained;
        }, cancellationToken);
    }

    private async Task DispatchAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var messageType = Type.GetType(message.MessageType, throwOnError: false)
            ?? throw new InvalidOperationException($"Unknown message type '{message.MessageType}'.");
        var body = JsonSerializer.Deserialize(message.Body, messageType, OutboxWriter.SerializerOptions)
            ?? throw new InvalidOperationException($"Outbox message {message.Id} has an empty body.");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);

        if (message.DestinationAddress is null)
        {
            await bus.Publish(body, messageType, Pipe.Execute<PublishContext>(context => context.MessageId = message.Id), timeout.Token);
            return;
        }

        var endpoint = await bus.GetSendEndpoint(new Uri(message.DestinationAddress));
        await endpoint.Send(body, messageType, Pipe.Execute<SendContext>(context => context.MessageId = message.Id), timeout.Token);
    }

    /// <summary>Deletes dispatched outbox rows and remembered message ids past their retention.</summary>
    private async Task DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = timeProvider.GetUtcNow();
        var dispatchedCutoff = now - _options.RetainDispatchedFor;
        await db.Set<OutboxMessage>()
            .Where(m => m.DispatchedAt != null && m.DispatchedAt < dispatchedCutoff)
            .ExecuteDeleteAsync(cancellationToken);
        var processedCutoff = now - _options.RetainProcessedFor;
        await db.Set<ProcessedMessage>()
            .Where(m => m.ProcessedAt < processedCutoff)
            .ExecuteDeleteAsync(cancellationToken);
    }

    private static async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(LogLevel.Warning, "Outbox message {MessageId} ({MessageType}) could not be dispatched (attempt {Attempts}); retrying later")]
    private partial void LogDispatchFailed(Exception exception, Guid messageId, string messageType, int attempts);

    [LoggerMessage(LogLevel.Error, "Outbox relay of {Context} failed; retrying later")]
    private partial void LogRelayFailed(Exception exception, string context);

    private enum BatchResult
    {
        Drained,
        Full,
        Failed,
    }
}
