using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.Chat.Api.Turns;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Chat.Api.Workers;

/// <summary>
/// Denies approvals nobody answered within <see cref="ChatOptions.ApprovalTimeout"/>, with a reason the
/// agent sees, so a Letta conversation is never left stuck on a pending approval (docs/letta-notes.md §12).
/// </summary>
public sealed partial class StaleApprovalWorker(
    IServiceScopeFactory scopes,
    DatabaseInitializationState<ChatDbContext> database,
    IOptions<ChatOptions> options,
    ChatMetrics metrics,
    TimeProvider time,
    ILogger<StaleApprovalWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Migrated.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.ApprovalSweepInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.ApprovalTimeout;
        var cutoff = time.GetUtcNow() - timeout;
        List<Guid> stale;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var pending = scope.ServiceProvider.GetRequiredService<ChatDbContext>().PendingToolCalls.AsNoTracking()
                .Where(p => p.Status == ApprovalStatus.Pending);
            metrics.PendingApprovals(
                await pending.LongCountAsync(cancellationToken),
                await pending.MinAsync(p => (DateTimeOffset?)p.CreatedAt, cancellationToken));

            stale = await pending
                .Where(p => p.CreatedAt < cutoff)
                .OrderBy(p => p.CreatedAt)
                .Select(p => p.Id)
                .Take(50)
                .ToListAsync(cancellationToken);
        }

        foreach (var id in stale)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                var reason = $"Nobody answered this approval within {timeout}; the call was not run. Tell the user, and ask again if it is still needed.";
                if (await scope.ServiceProvider.GetRequiredService<TurnGate>().ExpireApprovalAsync(id, reason))
                {
                    metrics.ApprovalExpired();
                    LogExpired(id);
                }
            }
            catch (Exception ex) when (ex is ApiProblemException or Letta.LettaException)
            {
                LogExpireFailed(ex, id);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Denied stale pending approval {PendingId}")]
    private partial void LogExpired(Guid pendingId);

    [LoggerMessage(LogLevel.Warning, "Could not deny stale pending approval {PendingId}; retrying at the next sweep")]
    private partial void LogExpireFailed(Exception exception, Guid pendingId);

    [LoggerMessage(LogLevel.Warning, "The stale-approval sweep failed")]
    private partial void LogSweepFailed(Exception exception);
}
