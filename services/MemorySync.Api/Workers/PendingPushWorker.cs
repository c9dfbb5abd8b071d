using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;
using LettaPlatform.MemorySync.Api.Services;
using LettaPlatform.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LettaPlatform.MemorySync.Api.Workers;

/// <summary>Retries the pushes that could not reach Letta, each when its backoff has passed, until they land.</summary>
public sealed partial class PendingPushWorker(
    IServiceScopeFactory scopeFactory,
    DatabaseInitializationState<MemorySyncDbContext> database,
    MemorySyncMetrics metrics,
    IOptions<MemorySyncOptions> options,
    TimeProvider time,
    ILogger<PendingPushWorker> logger) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await database.Migrated.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.Value.PushPollInterval, time);
            do
            {
                try
                {
                    await PushDueAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PushDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MemorySyncDbContext>();
        metrics.PendingPushes(await db.Blocks.CountAsync(b => b.SyncState == SyncStates.Pending, cancellationToken));

        var now = time.GetUtcNow();
        var due = await db.Blocks.AsNoTracking()
            .Where(b => b.SyncState == SyncStates.Pending && b.NextPushAt != null && b.NextPushAt <= now)
            .OrderBy(b => b.NextPushAt)
            .Select(b => b.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        var sync = scope.ServiceProvider.GetRequiredService<BlockSync>();
        foreach (var blockId in due)
        {
            await sync.PushAsync(blockId, cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Error, "Pending push pass failed")]
    private partial void LogPassFailed(Exception exception);
}
