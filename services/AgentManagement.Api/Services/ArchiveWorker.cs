using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// Archives agents nobody used for <see cref="AgentManagementOptions.ArchiveInactiveAfter"/>, and first finishes every
/// archiving a crash or a failure interrupted (always, even with idle archiving switched off). Every step of an
/// archiving is a committed row state, so a replica that restarts carries on where the last one stopped; replicas
/// working on the same agent take turns on its row lock and find the step already done.
/// </summary>
public sealed partial class ArchiveWorker(
    IServiceScopeFactory scopeFactory,
    DatabaseInitializationState<AgentManagementDbContext> database,
    IOptions<AgentManagementOptions> options,
    TimeProvider timeProvider,
    ILogger<ArchiveWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await database.Migrated.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.Value.ArchivePollInterval, timeProvider);
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One pass: interrupted archivings first, then up to a batch of idle agents. Answers how many agents ended archived.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var idleBefore = timeProvider.GetUtcNow() - settings.ArchiveInactiveAfter;
        List<Guid> interrupted;
        List<Guid> idle = [];
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AgentManagementDbContext>();
            interrupted = await db.AgentConfigs.AsNoTracking().Where(a => a.Status == AgentStatus.Archiving)
                .OrderBy(a => a.UpdatedAt).Select(a => a.Id).Take(settings.ArchiveBatchSize).ToListAsync(cancellationToken);
            if (settings.ArchiveInactiveAgents)
            {
                idle = await db.AgentConfigs.AsNoTracking().Where(a => a.Status == AgentStatus.Active && a.LastActiveAt < idleBefore)
                    .OrderBy(a => a.LastActiveAt).Select(a => a.Id).Take(settings.ArchiveBatchSize).ToListAsync(cancellationToken);
            }
        }

        var archived = 0;
        foreach (var (agentId, resume) in interrupted.Select(id => (id, true)).Concat(idle.Select(id => (id, false))))
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var archiver = scope.ServiceProvider.GetRequiredService<AgentArchiver>();
                if (resume)
                {
                    LogResuming(agentId);
                }
                else if (!await archiver.TryStartAsync(agentId, idleBefore, cancellationToken))
                {
                    continue;
                }

                if (await archiver.ContinueAsync(agentId, cancellationToken) is { Status: AgentStatus.Archived })
                {
                    archived++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The step that failed is not committed; the next pass resumes it.
                LogArchiveFailed(ex, agentId);
            }
        }

        return archived;
    }

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Resuming the interrupted archiving of agent {AgentId}")]
    private partial void LogResuming(Guid agentId);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Archiving agent {AgentId} failed at its current step; the next pass resumes it")]
    private partial void LogArchiveFailed(Exception exception, Guid agentId);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "An archive pass failed; the next one tries again")]
    private partial void LogPassFailed(Exception exception);
}
