using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LettaPlatform.MemorySync.Api.Services;

public sealed record ObserveResult(int AgentVersions, int Conflicts);

/// <summary>
/// Keeps memorydb (the truth) and Letta (the working copy) in step, block by block. Every change is a new
/// version written together with its <see cref="MemoryBlockChanged"/> (outbox). Blocks are guarded by
/// optimistic concurrency (<c>xmin</c>), so the API, the consumers, the push worker and reconcile can
/// touch the same block at once; a loser re-reads and re-decides.
/// </summary>
public sealed partial class BlockSync(
    MemorySyncDbContext db,
    ILettaClientFactory letta,
    MemorySyncMetrics metrics,
    VersionMetricsInterceptor versionMetrics,
    IOptions<MemorySyncOptions> options,
    TimeProvider time,
    ILogger<BlockSync> logger)
{
    /// <summary>Letta's default block limit, for blocks whose limit Letta does not report.</summary>
    public const int DefaultLimit = 100_000;

    /// <summary>The reason of a version the reconcile found in Letta.</summary>
    public const string ReconcileReason = "reconcile";

    private const int MaxConcurrencyRetries = 8;

    /// <summary>Appends a version to a tracked block and stages its event; the caller saves.</summary>
    public BlockVersion AppendVersion(MemoryAgent agent, MemoryBlock block, string value, string author, string reason, Provenance? source, string syncState)
    {
        var now = time.GetUtcNow();
        var version = new BlockVersion
        {
            Id = Guid.CreateVersion7(),
            BlockId = block.Id,
            AgentId = block.AgentId,
            Label = block.Label,
            Version = block.CurrentVersion + 1,
            Value = value,
            Author = author,
            ActorAgentId = block.AgentId != agent.Id && !agent.IsProject ? agent.Id : null,
            Reason = reason,
            SessionId = source?.SessionId,
            RunId = source?.RunId,
            ToolCallId = source?.ToolCallId,
            CreatedAt = now,
        };
        db.Versions.Add(version);
        versionMetrics.Stage(db, version, agent.TemplateId, block.Limit);

        block.Value = value;
        block.CurrentVersion = version.Version;
        block.UpdatedBy = author;
        block.UpdatedAt = now;
        block.SyncState = syncState;
        if (syncState == SyncStates.Pending)
        {
            // The caller pushes right away; the worker takes over only if that push does not land.
            block.NextPushAt = now + options.Value.PushMinRetryDelay;
            block.PushAttempts = 0;
            block.LastPushError = null;
        }

        StageChanged(agent, block, author, source?.SessionId);
        return version;
    }

    /// <summary>
    /// Pushes a pending block's latest version to Letta, unless Letta's value shows that the agent changed
    /// the block since the last sync: then both values become versions and the block a conflict, because
    /// pushing would silently overwrite the agent's edit. Letta unreachable: the block stays pending with
    /// a backoff for the push worker.
    /// </summary>
    public async Task<string> PushAsync(Guid blockId, CancellationToken cancellationToken)
    {
        // What this call itself wrote to Letta, in case a concurrent writer made its save fail.
        string? pushedByUs = null;
        for (var attempt = 0; attempt < MaxConcurrencyRetries; attempt++)
        {
            db.ChangeTracker.Clear();
            var block = await db.Blocks.SingleOrDefaultAsync(b => b.Id == blockId, cancellationToken);
            if (block is null || block.SyncState != SyncStates.Pending)
            {
                return block?.SyncState ?? SyncStates.Synced;
            }

            var agent = await db.Agents.AsNoTracking().SingleAsync(a => a.Id == block.AgentId, cancellationToken);
            if (agent.DeletedAt is not null)
            {
                // Nothing to push to any more; the version stays in the history.
                block.NextPushAt = null;
                await TrySaveAsync(cancellationToken);
                return block.SyncState;
            }

            if (!letta.InstanceNames.Contains(agent.LettaInstance, StringComparer.OrdinalIgnoreCase))
            {
                await DeferAsync(agent, block, $"Letta instance '{agent.LettaInstance}' is not configured.", cancellationToken);
                return block.SyncState;
            }

            var value = block.Value;
            var pushedVersion = block.CurrentVersion;
            var knownInLetta = pushedByUs ?? block.LettaValue;
            try
            {
                var client = letta.CreateClient(agent.LettaInstance);
                var inLetta = await ReadInLettaAsync(client, agent, block, cancellationToken);
                if (inLetta != value)
                {
                    if (knownInLetta is not null && inLetta != knownInLetta)
                    {
                        AppendVersion(agent, block, inLetta, Authors.Agent, "discovered", null, SyncStates.Conflict);
                        block.ConflictUserVersion = pushedVersion;
                        block.ConflictAgentVersion = block.CurrentVersion;
                        block.LettaValue = inLetta;
                        block.NextPushAt = null;
                        if (await TrySaveAsync(cancellationToken))
                        {
                            metrics.ConflictDetected();
                            LogConflict(agent.Id, block.Label, pushedVersion, block.CurrentVersion);
                            return SyncStates.Conflict;
                        }

                        continue;
                    }

                    await WriteInLettaAsync(client, agent, block, value, cancellationToken);
                    pushedByUs = value;
                }

                var now = time.GetUtcNow();
                block.LettaValue = value;
                block.LastSyncedAt = now;
                block.SyncState = SyncStates.Synced;
                block.NextPushAt = null;
                block.PushAttempts = 0;
                block.LastPushError = null;
                StageChanged(agent, block, block.UpdatedBy, null);
                if (await TrySaveAsync(cancellationToken))
                {
                    metrics.SyncLag(now - block.UpdatedAt);
                    return SyncStates.Synced;
                }
            }
            catch (LettaException ex)
            {
                // Letta down, the agent gone (AgentMigrated will bring a new one), busy, or refusing (wrong key,
                // an older server enforcing the limit): keep the version, show the error, retry with backoff.
                await DeferAsync(agent, block, ex.Message, cancellationToken);
                return SyncStates.Pending;
            }
        }

        return SyncStates.Pending;
    }

    /// <summary>
    /// Records what Letta holds for an agent's blocks: a value that is neither the last synced value nor the
    /// latest version is an agent edit, stored as an agent version (with <paramref name="source"/>), or as a
    /// conflict when a person's edit is still waiting to be pushed. Labels not seen before become blocks
    /// authored by <paramref name="newBlockAuthor"/>.
    /// </summary>
    public async Task<ObserveResult> ObserveAsync(Guid agentId, IReadOnlyList<LettaBlock> lettaBlocks, Provenance? source, string reason, string newBlockAuthor, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var agent = await db.Agents.Include(a => a.Blocks).SingleAsync(a => a.Id == agentId, cancellationToken);
            // The project's shared blocks are versioned once, on the project's row: a turn of another agent of the project
            // that finds the value already recorded adds nothing.
            var shared = agent.ProjectId is { } projectId
                ? await db.Blocks.Where(b => b.AgentId == projectId).ToListAsync(cancellationToken)
                : [];
            int agentVersions = 0, conflicts = 0;
            List<MemoryBlock> recordedSinceTurnBegan = [];
            foreach (var lettaBlock in lettaBlocks.Where(b => !string.IsNullOrEmpty(b.Label)))
            {
                var block = agent.Blocks.FirstOrDefault(b => b.Label == lettaBlock.Label)
                    ?? shared.FirstOrDefault(b => b.LettaBlockId == lettaBlock.Id || b.Label == lettaBlock.Label);
                if (block is null)
                {
                    block = new MemoryBlock
                    {
                        Id = Guid.CreateVersion7(),
                        AgentId = agent.Id,
                        Label = lettaBlock.Label!,
                        Limit = lettaBlock.Limit ?? DefaultLimit,
                        LettaValue = lettaBlock.Value,
                        LastSyncedAt = time.GetUtcNow(),
                    };
                    agent.Blocks.Add(block);
                    AppendVersion(agent, block, lettaBlock.Value, newBlockAuthor, reason, newBlockAuthor == Authors.Agent ? source : null, SyncStates.Synced);
                    continue;
                }

                if (lettaBlock.Limit is { } limit && limit != block.Limit)
                {
                    block.Limit = limit;
                }

                if (lettaBlock.Value == block.LettaValue)
                {
                    if (source?.TurnStartedAt is { } began && block.UpdatedBy == Authors.Agent && block.UpdatedAt >= began)
                    {
                        recordedSinceTurnBegan.Add(block);
                    }

                    continue;
                }

                if (lettaBlock.Value == block.Value)
                {
                    // A push landed but was not recorded (or Letta was re-created and restored): nothing was lost.
                    block.LettaValue = lettaBlock.Value;
                    block.LastSyncedAt = time.GetUtcNow();
                    if (block.SyncState == SyncStates.Pending)
                    {
                        block.SyncState = SyncStates.Synced;
                        block.NextPushAt = null;
                        StageChanged(agent, block, block.UpdatedBy, null);
                    }

                    continue;
                }

                if (block.LettaValue is null)
                {
                    // Letta holds a fresh agent's template defaults; the pending restore push replaces them.
                    continue;
                }

                var previousState = block.SyncState;
                var userVersion = block.CurrentVersion;
                AppendVersion(agent, block, lettaBlock.Value, Authors.Agent, reason, source,
                    previousState == SyncStates.Synced ? SyncStates.Synced : SyncStates.Conflict);
                block.LettaValue = lettaBlock.Value;
                block.LastSyncedAt = time.GetUtcNow();
                agentVersions++;
                if (previousState == SyncStates.Pending)
                {
                    block.ConflictUserVersion = userVersion;
                    block.NextPushAt = null;
                    conflicts++;
                }

                if (previousState != SyncStates.Synced)
                {
                    block.ConflictAgentVersion = block.CurrentVersion;
                }
            }

            if (recordedSinceTurnBegan.Count > 0)
            {
                await CreditTurnAsync(agent, recordedSinceTurnBegan, source!, reason, cancellationToken);
            }

            if (!db.ChangeTracker.HasChanges())
            {
                return new ObserveResult(0, 0);
            }

            if (await TrySaveAsync(cancellationToken))
            {
                for (var i = 0; i < conflicts; i++)
                {
                    metrics.ConflictDetected();
                }

                return new ObserveResult(agentVersions, conflicts);
            }

            if (attempt >= MaxConcurrencyRetries)
            {
                throw new DbUpdateConcurrencyException($"The blocks of agent {agentId} kept changing while Letta's values were recorded.");
            }
        }
    }

    /// <summary>
    /// A reconcile that ran between a turn's memory edit and the turn's event recorded the edit as drift, without
    /// provenance and, for a project's shared block, naming whichever agent of the project it read. The turn's event
    /// credits the turn with it: the block's current version, recorded by a reconcile after the turn began, gets the
    /// turn's provenance and agent. Runs at once and matches nothing a second time, so a retried observe is safe.
    /// </summary>
    private async Task CreditTurnAsync(MemoryAgent agent, IEnumerable<MemoryBlock> blocks, Provenance source, string reason, CancellationToken cancellationToken)
    {
        foreach (var block in blocks)
        {
            Guid? actor = block.AgentId != agent.Id && !agent.IsProject ? agent.Id : null;
            var credited = await db.Versions
                .Where(v => v.BlockId == block.Id && v.Version == block.CurrentVersion && v.Reason == ReconcileReason
                    && v.SessionId == null && v.CreatedAt >= source.TurnStartedAt)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(v => v.Reason, reason)
                    .SetProperty(v => v.SessionId, source.SessionId)
                    .SetProperty(v => v.RunId, source.RunId)
                    .SetProperty(v => v.ToolCallId, source.ToolCallId)
                    .SetProperty(v => v.ActorAgentId, actor), cancellationToken);
            if (credited > 0)
            {
                LogTurnCredited(agent.Id, block.Label, block.CurrentVersion);
            }
        }
    }

    /// <summary>A project's shared block is one Letta block, read by its id; any other block through its agent.</summary>
    private static async Task<string> ReadInLettaAsync(ILettaClient client, MemoryAgent agent, MemoryBlock block, CancellationToken cancellationToken) =>
        block.LettaBlockId is { } blockId
            ? (await client.GetBlockAsync(blockId, cancellationToken)).Value
            : (await client.GetAgentBlockAsync(agent.LettaAgentId, block.Label, cancellationToken)).Value;

    /// <summary>Writing a shared block by its id changes it for every agent of the project at once.</summary>
    private static Task WriteInLettaAsync(ILettaClient client, MemoryAgent agent, MemoryBlock block, string value, CancellationToken cancellationToken) =>
        block.LettaBlockId is { } blockId
            ? client.ModifyBlockAsync(blockId, new BlockUpdate { Value = value }, cancellationToken)
            : client.ModifyAgentBlockAsync(agent.LettaAgentId, block.Label, new BlockUpdate { Value = value }, cancellationToken);

    private async Task PushValueAsync(MemoryAgent agent, MemoryBlock block, CancellationToken cancellationToken)
    {
        try
        {
            await WriteInLettaAsync(letta.CreateClient(agent.LettaInstance), agent, block, block.Value, cancellationToken);
        }
        catch (LettaException ex)
        {
            LogPushDeferred(agent.Id, block.Label, 1, ex.Message);
        }
    }

    private async Task DeferAsync(MemoryAgent agent, MemoryBlock block, string reason, CancellationToken cancellationToken)
    {
        block.PushAttempts++;
        block.NextPushAt = time.GetUtcNow() + RetryDelay(block.PushAttempts);
        block.LastPushError = reason;
        await TrySaveAsync(cancellationToken);
        LogPushDeferred(agent.Id, block.Label, block.PushAttempts, reason);
    }

    private void StageChanged(MemoryAgent agent, MemoryBlock block, string author, Guid? sessionId) =>
        db.Outbox().Publish(new MemoryBlockChanged
        {
            AgentId = agent.Id,
            UserId = agent.UserId,
            Label = block.Label,
            Version = block.CurrentVersion,
            Author = author,
            SyncState = block.SyncState,
            SessionId = sessionId,
            ChangedAt = time.GetUtcNow(),
        });

    private async Task<bool> TrySaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (IsConcurrentWrite(ex))
        {
            return false;
        }
    }

    /// <summary>
    /// Another writer changed the block first: its <c>xmin</c> moved, or it inserted the same version number
    /// (the version insert runs before the block update whose <c>xmin</c> check would have caught it).
    /// </summary>
    public static bool IsConcurrentWrite(DbUpdateException exception) =>
        exception is DbUpdateConcurrencyException
        || exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: VersionNumberIndex };

    public const string VersionNumberIndex = "ix_block_versions_block_id_version";

    private TimeSpan RetryDelay(int attempts)
    {
        var settings = options.Value;
        var delay = settings.PushMinRetryDelay * Math.Pow(2, Math.Min(attempts - 1, 20));
        return delay < settings.PushMaxRetryDelay ? delay : settings.PushMaxRetryDelay;
    }

    [LoggerMessage(LogLevel.Warning, "Conflict on agent {AgentId} block {Label}: user version {UserVersion}, agent version {AgentVersion}")]
    private partial void LogConflict(Guid agentId, string label, int userVersion, int agentVersion);

    [LoggerMessage(LogLevel.Information, "Agent {AgentId}'s turn credited with version {Version} of block {Label}, which a reconcile had recorded first")]
    private partial void LogTurnCredited(Guid agentId, string label, int version);

    [LoggerMessage(LogLevel.Information, "Push of agent {AgentId} block {Label} deferred (attempt {Attempt}): {Reason}")]
    private partial void LogPushDeferred(Guid agentId, string label, int attempt, string reason);
}
