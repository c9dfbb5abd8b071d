using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults;
using LettaPlatform.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// Does the Letta side of rollouts in the background, a bounded number of agents at a time. A
/// background worker rather than the HTTP request: a rollout over thousands of agents outlives any
/// request, and because every agent's state is a row, a restarted replica carries on where the last
/// one stopped. Each agent is handled in its own transaction that locks its item (SKIP LOCKED, so
/// replicas share the work) and its agent row; a failure is recorded on that item and the rest go on.
/// </summary>
public sealed partial class RolloutWorker(
    IServiceScopeFactory scopeFactory,
    WakeSignal<RolloutWorker> signal,
    DatabaseInitializationState<AgentManagementDbContext> database,
    AgentManagementMetrics metrics,
    IOptions<AgentManagementOptions> options,
    TimeProvider timeProvider,
    ILogger<RolloutWorker> logger) : BackgroundService
{
    private static readonly RolloutStatus[] InFlight = [RolloutStatus.Canary, RolloutStatus.Promoting, RolloutStatus.RollingBack];

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

        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = false;
            try
            {
                worked = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogWorkerFailed(ex);
            }

            if (!worked)
            {
                await signal.WaitAsync(options.Value.RolloutPollInterval, stoppingToken);
            }
        }
    }

    /// <summary>One pass over every rollout in flight; true when it changed anything.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        List<TemplateRollout> rollouts;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AgentManagementDbContext>();
            rollouts = await db.Rollouts.AsNoTracking().Where(r => InFlight.Contains(r.Status)).OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken);
        }

        var worked = false;
        foreach (var rollout in rollouts)
        {
            worked |= await ProcessRolloutAsync(rollout, cancellationToken);
        }

        return worked;
    }

    private async Task<bool> ProcessRolloutAsync(TemplateRollout rollout, CancellationToken cancellationToken)
    {
        List<Guid> agentIds;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AgentManagementDbContext>();
            agentIds = await WorkFor(db.RolloutItems.AsNoTracking().Where(i => i.RolloutId == rollout.Id), rollout.Status)
                .OrderBy(i => i.AgentId)
                .Select(i => i.AgentId)
                .ToListAsync(cancellationToken);
        }

        await Parallel.ForEachAsync(
            agentIds,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.RolloutConcurrency, CancellationToken = cancellationToken },
            async (agentId, ct) => await ProcessItemAsync(rollout, agentId, ct));

        var finished = await FinishIfDoneAsync(rollout, cancellationToken);
        return agentIds.Count > 0 || finished;
    }

    private static IQueryable<RolloutItem> WorkFor(IQueryable<RolloutItem> items, RolloutStatus status) => status switch
    {
        RolloutStatus.Canary => items.Where(i => i.Canary && i.State == RolloutItemState.Pending),
        RolloutStatus.Promoting => items.Where(i => i.State == RolloutItemState.Pending),
        RolloutStatus.RollingBack => items.Where(i => i.State == RolloutItemState.Pending || i.State == RolloutItemState.Applied || i.State == RolloutItemState.Failed),
        _ => items.Where(_ => false),
    };

    private async Task ProcessItemAsync(TemplateRollout rollout, Guid agentId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgentManagementDbContext>();
        var applier = scope.ServiceProvider.GetRequiredService<TemplateApplier>();
        var cache = scope.ServiceProvider.GetRequiredService<AgentCache>();
        var rollingBack = rollout.Status == RolloutStatus.RollingBack;

        var strategy = db.Database.CreateExecutionStrategy();
        var changed = await strategy.ExecuteAsync(async Task<(AgentConfig? Agent, RolloutItemState State)?> (CancellationToken ct) =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var item = await db.RolloutItems
                .FromSql($"SELECT * FROM rollout_items WHERE rollout_id = {rollout.Id} AND agent_id = {agentId} FOR UPDATE SKIP LOCKED")
                .SingleOrDefaultAsync(ct);
            if (item is null || !await WorkFor(db.RolloutItems.Where(i => i.RolloutId == rollout.Id && i.AgentId == agentId), rollout.Status).AnyAsync(ct))
            {
                return null;
            }

            var agent = await db.LockAgentAsync(agentId, ct);
            item.UpdatedAt = timeProvider.GetUtcNow();
            if (rollingBack && item.State == RolloutItemState.Pending)
            {
                // Never reached: nothing to undo.
                item.State = RolloutItemState.RolledBack;
            }
            else if (agent is not { Status: AgentStatus.Active, LettaAgentId: not null })
            {
                item.State = RolloutItemState.Skipped;
            }
            else
            {
                var rolloutVersion = await db.GetVersionAsync(rollout.TemplateId, rollout.Version, ct);
                var from = rollingBack ? rolloutVersion : await db.GetVersionAsync(agent.TemplateId, agent.TemplateVersion, ct);
                var to = rollingBack ? await db.GetVersionAsync(rollout.TemplateId, item.PreviousVersion, ct) : rolloutVersion;
                try
                {
                    await applier.ApplyAsync(agent, from, to, ct);
                    agent.TemplateVersion = to.Version;
                    agent.UpdatedAt = item.UpdatedAt;
                    item.State = rollingBack ? RolloutItemState.RolledBack : RolloutItemState.Applied;
                    item.Error = null;
                }
                catch (LettaException ex)
                {
                    LogAgentFailed(ex, rollout.Id, agentId, rollingBack ? "rollback" : "rollout");
                    item.State = rollingBack ? RolloutItemState.RollbackFailed : RolloutItemState.Failed;
                    item.Error = Truncate($"{ex.GetType().Name}: {ex.Message}", 2000);
                }
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (agent, item.State);
        }, cancellationToken);

        if (changed is ({ } agentConfig, var state))
        {
            metrics.RolloutAgent(rollout.TemplateId, rollout.Version, state.ToString());
            await cache.EvictAsync(agentConfig, cancellationToken);
        }
    }

    private async Task<bool> FinishIfDoneAsync(TemplateRollout snapshot, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgentManagementDbContext>();
        var rollout = await db.Rollouts.SingleAsync(r => r.Id == snapshot.Id, cancellationToken);
        var counts = await db.RolloutItems.Where(i => i.RolloutId == rollout.Id)
            .GroupBy(i => i.State)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.State, g => g.Count, cancellationToken);
        LogProgress(rollout.Id, rollout.TemplateId, rollout.Version, rollout.Status,
            counts.GetValueOrDefault(RolloutItemState.Applied), counts.Values.Sum(),
            counts.GetValueOrDefault(RolloutItemState.Failed) + counts.GetValueOrDefault(RolloutItemState.RollbackFailed));

        if (rollout.Status != snapshot.Status || await WorkFor(db.RolloutItems.Where(i => i.RolloutId == rollout.Id), rollout.Status).AnyAsync(cancellationToken))
        {
            return false;
        }

        var template = await db.Templates.SingleAsync(t => t.Id == rollout.TemplateId, cancellationToken);
        switch (rollout.Status)
        {
            case RolloutStatus.Promoting:
                rollout.Status = RolloutStatus.Completed;
                template.ActiveVersion = rollout.Version;
                break;
            case RolloutStatus.RollingBack:
                rollout.Status = RolloutStatus.RolledBack;
                if (template.ActiveVersion == rollout.Version)
                {
                    template.ActiveVersion = rollout.PreviousActiveVersion;
                }

                break;
            default:
                return false;
        }

        rollout.UpdatedAt = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        LogFinished(rollout.Id, rollout.TemplateId, rollout.Version, rollout.Status, template.ActiveVersion);
        return true;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(LogLevel.Information, "Rollout {RolloutId} of {TemplateId} v{Version} ({Status}): {Applied}/{Total} agents applied, {Failed} failed")]
    private partial void LogProgress(Guid rolloutId, string templateId, int version, RolloutStatus status, int applied, int total, int failed);

    [LoggerMessage(LogLevel.Information, "Rollout {RolloutId} of {TemplateId} v{Version} is {Status}; new agents get v{ActiveVersion}")]
    private partial void LogFinished(Guid rolloutId, string templateId, int version, RolloutStatus status, int activeVersion);

    [LoggerMessage(LogLevel.Warning, "Rollout {RolloutId}: {Operation} of agent {AgentId} failed; the other agents continue")]
    private partial void LogAgentFailed(Exception exception, Guid rolloutId, Guid agentId, string operation);

    [LoggerMessage(LogLevel.Error, "The rollout worker failed a pass; it tries again")]
    private partial void LogWorkerFailed(Exception exception);
}
