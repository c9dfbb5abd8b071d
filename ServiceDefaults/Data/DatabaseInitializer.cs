using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LettaPlatform.ServiceDefaults.Data;

/// <summary>Whether the migrations of <typeparamref name="TContext"/> have been applied in this process.</summary>
public sealed class DatabaseInitializationState<TContext> where TContext : DbContext
{
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsMigrated => _migrated.Task.IsCompletedSuccessfully;

    /// <summary>Completes once the migrations are applied; lets hosted services that need the schema wait for it.</summary>
    public Task Migrated => _migrated.Task;

    internal void MarkMigrated() => _migrated.TrySetResult();
}

/// <summary>
/// Applies <typeparamref name="TContext"/>'s migrations at start-up, retrying with backoff while
/// PostgreSQL is not reachable, so a service can start before its database does. With
/// <see cref="DatabaseOptions.MigrateOnStartup"/> off it applies nothing and waits, with the same
/// backoff, until a deploy step has applied every migration this build knows.
/// </summary>
public sealed partial class DatabaseInitializer<TContext>(
    IServiceScopeFactory scopeFactory,
    DatabaseInitializationState<TContext> state,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseInitializer<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                await using var scope = scopeFactory.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                if (options.Value.MigrateOnStartup)
                {
                    await db.Database.MigrateAsync(stoppingToken);
                    state.MarkMigrated();
                    LogMigrated(typeof(TContext).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    return;
                }

                var pending = (await db.Database.GetPendingMigrationsAsync(stoppingToken)).ToList();
                if (pending.Count == 0)
                {
                    state.MarkMigrated();
                    LogSchemaCurrent(typeof(TContext).Name);
                    return;
                }

                LogMigrationsPending(typeof(TContext).Name, pending.Count, pending[0], delay.TotalSeconds);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogMigrationFailed(ex, typeof(TContext).Name, attempt, delay.TotalSeconds);
            }

            await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    [LoggerMessage(LogLevel.Information, "Applied migrations of {Context} in {ElapsedMs:0} ms")]
    private partial void LogMigrated(string context, double elapsedMs);

    [LoggerMessage(LogLevel.Information, "The schema of {Context} has every migration of this build (migrations are applied by the deploy step)")]
    private partial void LogSchemaCurrent(string context);

    [LoggerMessage(LogLevel.Warning, "{Context} lacks {Count} migrations, the first {First}; waiting for the deploy step to apply them, checking again in {DelaySeconds:0.##} s")]
    private partial void LogMigrationsPending(string context, int count, string first, double delaySeconds);

    [LoggerMessage(LogLevel.Warning, "Preparing the schema of {Context} failed (attempt {Attempt}); retrying in {DelaySeconds:0.##} s")]
    private partial void LogMigrationFailed(Exception exception, string context, int attempt, double delaySeconds);
}

/// <summary>Unhealthy until the initializer has applied the migrations; then healthy while the database answers.</summary>
public sealed class DatabaseHealthCheck<TContext>(DatabaseInitializationState<TContext> state, TContext db) : IHealthCheck
    where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!state.IsMigrated)
        {
            return HealthCheckResult.Unhealthy("Database migrations have not been applied yet.");
        }

        try
        {
            // A plain connection, not the context: its retrying strategy would turn an outage into a slow probe.
            await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Cannot connect to the database.", ex);
        }
    }
}
