using System.Diagnostics;
using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LettaPlatform.MemorySync.Api.Services;

public sealed record ReconcileReport(
    DateTimeOffset StartedAt,
    double DurationMs,
    int Agents,
    int AgentsFailed,
    int AgentsDrifted,
    int DriftVersions,
    int Conflicts,
    IReadOnlyList<Guid> DriftedAgentIds);

/// <summary>
/// Compares every agent's Letta blocks with the latest versions and records what drifted. Letta is read
/// with bounded parallelism (<see cref="MemorySyncOptions.ReconcileParallelism"/>); one run at a time per process.
/// </summary>
public sealed partial class Reconciler(
    IServiceScopeFactory scopeFactory,
    ILettaClientFactory letta,
    MemorySyncMetrics metrics,
    IOptions<MemorySyncOptions> options,
    TimeProvider time,
    ILogger<Reconciler> logger)
{
    private readonly SemaphoreSlim _running = new(1, 1);

    public ReconcileReport? LastReport { get; private set; }

    public async Task<ReconcileReport> RunAsync(CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            var startedAt = time.GetUtcNow();
            var started = Stopwatch.GetTimestamp();
            List<(Guid Id, string Instance, string LettaAgentId)> agents;
            await using (var scope = scopeFactory.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<MemorySyncDbContext>();
                agents = (await db.Agents.AsNoTracking().Where(a => a.DeletedAt == null)
                    .Select(a => new { a.Id, a.LettaInstance, a.LettaAgentId }).ToListAsync(cancellationToken))
                    .Select(a => (a.Id, a.LettaInstance, a.LettaAgentId)).ToList();
            }

            int failed = 0, driftVersions = 0, conflicts = 0;
            var drifted = new System.Collections.Concurrent.ConcurrentBag<Guid>();
            var known = letta.InstanceNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
            await Parallel.ForEachAsync(agents, new ParallelOptions
            {
                MaxDegreeOfParallelism = options.Value.ReconcileParallelism,
                CancellationToken = cancellationToken,
            }, async (agent, ct) =>
            {
                if (!known.Contains(agent.Instance))
                {
                    Interlocked.Increment(ref failed);
                    return;
                }

                IReadOnlyList<LettaBlock> blocks;
                try
                {
                    blocks = await letta.CreateClient(agent.Instance).ListAgentBlocksAsync(agent.LettaAgentId, ct);
                }
                catch (LettaException ex)
                {
                    Interlocked.Increment(ref failed);
                    LogAgentFailed(agent.Id, ex.Message);
                    return;
                }

                await using var scope = scopeFactory.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<BlockSync>()
                    .ObserveAsync(agent.Id, blocks, null, "reconcile", Authors.Agent, ct);
                if (result.AgentVersions > 0)
                {
                    drifted.Add(agent.Id);
                    Interlocked.Add(ref driftVersions, result.AgentVersions);
                    Interlocked.Add(ref conflicts, result.Conflicts);
                }
            });

            var duration = Stopwatch.GetElapsedTime(started);
            metrics.ReconcileCompleted(duration, driftVersions);
            var report = new ReconcileReport(startedAt, duration.TotalMilliseconds, agents.Count, failed, drifted.Count, driftVersions, conflicts, [.. drifted]);
            LastReport = report;
            LogReconciled(agents.Count, driftVersions, conflicts, failed, duration.TotalMilliseconds);
            return report;
        }
        finally
        {
            _running.Release();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Reconcile could not read agent {AgentId} from Letta: {Reason}")]
    private partial void LogAgentFailed(Guid agentId, string reason);

    [LoggerMessage(LogLevel.Information, "Reconciled {Agents} agents: {Drift} drift versions, {Conflicts} conflicts, {Failed} failed, {ElapsedMs:0} ms")]
    private partial void LogReconciled(int agents, int drift, int conflicts, int failed, double elapsedMs);
}
