using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Services;
using LettaPlatform.ServiceDefaults.Data;
using Microsoft.Extensions.Options;

namespace LettaPlatform.MemorySync.Api.Workers;

/// <summary>Runs <see cref="Reconciler"/> every <see cref="MemorySyncOptions.ReconcileInterval"/> (off when zero).</summary>
public sealed partial class ReconcileWorker(
    Reconciler reconciler,
    DatabaseInitializationState<MemorySyncDbContext> database,
    IOptions<MemorySyncOptions> options,
    TimeProvider time,
    ILogger<ReconcileWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ReconcileInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await database.Migrated.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await reconciler.RunAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(LogLevel.Error, "Periodic reconcile failed")]
    private partial void LogFailed(Exception exception);
}
