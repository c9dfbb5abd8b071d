using System.Collections.Concurrent;
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
    IReadOnlyList<Guid> DriftedAgentIds,
    IReadOnlyList<ReconcileFailure> Failures);

/// <summary>
/// An agent reconcile could not compare. <see cref="Reason"/>: <c>agent_missing</c> (Letta answered but has
/// lost the agent; agent-management re-creates it with its memory on next use), <c>letta_unreachable</c>,
/// <c>letta_error</c> (Letta answered with another error) or <c>instance_not_configured</c>; <see cref="Detail"/> says more.
/// </summary>
public sealed record ReconcileFailure(Guid AgentId, string UserId, string LettaInstance, string LettaAgentId, string Reason, string Detail);

public static class ReconcileFailureReasons
{
    public const string AgentMissing = "agent_missing";
    public const string LettaUnreachable = "letta_unreachable";
    public const string LettaError = "letta_error";
    public const string InstanceNotConfigured = "instance_not_configured";
}

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
    private const int ChunkSize = 500;

    private readonly SemaphoreSlim _running = new(1, 1);

    public ReconcileReport? LastReport { get; private set; }

    public async Task<ReconcileReport> RunAsync(CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            var startedAt = time.GetUtcNow();
            var started = Stopwatch.GetTimestamp();
            List<Guid> agentIds;
            await using (var scope = scopeFactory.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<MemorySyncDbContext>();
                agentIds = await db.Agents.AsNoTracking().Where(a => a.DeletedAt == null && !a.IsProject).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken);
            }

            var tally = new Tally();
            foreach (var chunk in agentIds.Chunk(ChunkSize))
            {
                await ReconcileChunkAsync(chunk, tally, cancellationToken);
            }

            var duration = Stopwatch.GetElapsedTime(started);
            metrics.ReconcileCompleted(duration, tally.DriftVersions);
            var failures = tally.Failures.OrderBy(f => f.AgentId).ToList();
            var report = new ReconcileReport(
                startedAt, duration.TotalMilliseconds, agentIds.Count, failures.Count, tally.Drifted.Count, tally.DriftVersions, tally.Conflicts, [.. tally.Drifted], failures);
            LastReport = report;
            LogReconciled(agentIds.Count, tally.DriftVersions, tally.Conflicts, failures.Count, duration.TotalMilliseconds);
            return report;
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>
    /// Reads the chunk's recorded blocks in one query and each agent's Letta blocks with bounded parallelism;
    /// only an agent whose Letta blocks differ from what was recorded costs a write.
    /// </summary>
    private async Task ReconcileChunkAsync(Guid[] chunk, Tally tally, CancellationToken cancellationToken)
    {
        List<MemoryAgent> agents;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MemorySyncDbContext>();
            agents = await db.Agents.AsNoTracking().AsSplitQuery().Include(a => a.Blocks).Where(a => chunk.Contains(a.Id)).ToListAsync(cancellationToken);
        }

        var known = letta.InstanceNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        await Parallel.ForEachAsync(agents, new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Value.ReconcileParallelism,
            CancellationToken = cancellationToken,
        }, async (agent, ct) =>
        {
            if (!known.Contains(agent.LettaInstance))
            {
                tally.Fail(agent, ReconcileFailureReasons.InstanceNotConfigured, $"Letta instance '{agent.LettaInstance}' is not configured for memory-sync.");
                return;
            }

            IReadOnlyList<LettaBlock> inLetta;
            try
            {
                inLetta = await letta.CreateClient(agent.LettaInstance).ListAgentBlocksAsync(agent.LettaAgentId, ct);
            }
            catch (LettaException ex)
            {
                var reason = ex switch
                {
                    LettaNotFoundException => ReconcileFailureReasons.AgentMissing,
                    LettaUnavailableException => ReconcileFailureReasons.LettaUnreachable,
                    _ => ReconcileFailureReasons.LettaError,
                };
                tally.Fail(agent, reason, ex.Message);
                LogAgentFailed(agent.Id, reason, ex.Message);
                return;
            }

            if (!Differs(agent, inLetta))
            {
                return;
            }

            await using var scope = scopeFactory.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<BlockSync>()
                .ObserveAsync(agent.Id, inLetta, null, BlockSync.ReconcileReason, Authors.Agent, ct);
            if (result.AgentVersions > 0)
            {
                tally.Drifted.Add(agent.Id);
                Interlocked.Add(ref tally.DriftVersions, result.AgentVersions);
                Interlocked.Add(ref tally.Conflicts, result.Conflicts);
            }
        });
    }

    private static bool Differs(MemoryAgent agent, IReadOnlyList<LettaBlock> inLetta) =>
        inLetta.Where(b => !string.IsNullOrEmpty(b.Label)).Any(lettaBlock =>
            agent.Blocks.FirstOrDefault(b => b.Label == lettaBlock.Label) is not { } block
            || lettaBlock.Value != block.LettaValue
            || (lettaBlock.Limit is { } limit && limit != block.Limit));

    private sealed class Tally
    {
        public int DriftVersions;
        public int Conflicts;
        public readonly ConcurrentBag<Guid> Drifted = [];
        public readonly ConcurrentBag<ReconcileFailure> Failures = [];

        public void Fail(MemoryAgent agent, string reason, string detail) =>
            Failures.Add(new ReconcileFailure(agent.Id, agent.UserId, agent.LettaInstance, agent.LettaAgentId, reason, detail));
    }

    [LoggerMessage(LogLevel.Warning, "Reconcile could not read agent {AgentId} from Letta ({Reason}): {Detail}")]
    private partial void LogAgentFailed(Guid agentId, string reason, string detail);

    [LoggerMessage(LogLevel.Information, "Reconciled {Agents} agents: {Drift} drift versions, {Conflicts} conflicts, {Failed} failed, {ElapsedMs:0} ms")]
    private partial void LogReconciled(int agents, int drift, int conflicts, int failed, double elapsedMs);
}
