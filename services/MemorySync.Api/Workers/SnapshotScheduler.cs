using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Services;
using LettaPlatform.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LettaPlatform.MemorySync.Api.Workers;

/// <summary>
/// Takes a scheduled snapshot of every agent whose latest snapshot is older than
/// <see cref="MemorySyncOptions.SnapshotInterval"/> (off when zero), a few agents at a time.
/// </summary>
public sealed partial class SnapshotScheduler(
    IServiceScopeFactory scopeFactory,
    DatabaseInitializationState<MemorySyncDbContext> database,
    IOptions<MemorySyncOptions> options,
    TimeProvider time,
    ILogger<SnapshotScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan MaxCheckInterval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SnapshotInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await database.Migrated.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(interval < MaxCheckInterval ? interval : MaxCheckInterval, time);
            do
            {
                try
                {
                    await SnapshotDueAsync(interval, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SnapshotDueAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - interval;
        List<Guid> due;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MemorySyncDbContext>();
            due = await db.Agents.AsNoTracking()
                .Where(a => a.DeletedAt == null && !a.IsProject && !db.Snapshots.Any(s => s.AgentId == a.Id && s.CreatedAt > cutoff))
                .Select(a => a.Id)
                .ToListAsync(cancellationToken);
        }

        await Parallel.ForEachAsync(due, new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Value.ReconcileParallelism,
            CancellationToken = cancellationToken,
        }, async (agentId, ct) =>
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MemorySyncDbContext>();
            var agent = await db.Agents.AsNoTracking().SingleAsync(a => a.Id == agentId, ct);
            await scope.ServiceProvider.GetRequiredService<Snapshots>().TakeAsync(agent, Snapshots.Scheduled, ct);
        });
    }

    [LoggerMessage(LogLevel.Error, "Scheduled snapshots failed")]
    private partial void LogFailed(Exception exception);
}
