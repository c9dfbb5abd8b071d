using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LettaPlatform.MemorySync.Api.Services;

/// <summary>Snapshots of an agent's memory (plus Letta's Agent File where offered), their retention, and restore.</summary>
public sealed partial class Snapshots(
    MemorySyncDbContext db,
    BlockSync sync,
    ILettaClientFactory letta,
    IOptions<MemorySyncOptions> options,
    TimeProvider time,
    ILogger<Snapshots> logger)
{
    public const string Manual = "manual";
    public const string Scheduled = "scheduled";

    public async Task<Snapshot> TakeAsync(MemoryAgent agent, string trigger, CancellationToken cancellationToken)
    {
        var blocks = await db.Blocks.AsNoTracking().Where(b => b.AgentId == agent.Id).OrderBy(b => b.Label).ToListAsync(cancellationToken);
        var snapshot = new Snapshot
        {
            Id = Guid.CreateVersion7(),
            AgentId = agent.Id,
            CreatedAt = time.GetUtcNow(),
            Trigger = trigger,
            AgentFile = await ExportAsync(agent, cancellationToken),
        };
        snapshot.Blocks.AddRange(blocks.Select(b => new SnapshotBlock
        {
            SnapshotId = snapshot.Id,
            Label = b.Label,
            Value = b.Value,
            Version = b.CurrentVersion,
            Limit = b.Limit,
        }));
        db.Snapshots.Add(snapshot);
        await db.SaveChangesAsync(cancellationToken);

        var expired = await db.Snapshots.Where(s => s.AgentId == agent.Id)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Skip(options.Value.SnapshotRetention)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        if (expired.Count > 0)
        {
            await db.Snapshots.Where(s => expired.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        return snapshot;
    }

    /// <summary>Brings every block back to its value in the snapshot, each as a new <c>system</c> version pushed to Letta.</summary>
    public async Task<IReadOnlyList<MemoryBlock>?> RestoreAsync(MemoryAgent agent, Guid snapshotId, CancellationToken cancellationToken)
    {
        var snapshot = await db.Snapshots.AsNoTracking().Include(s => s.Blocks)
            .SingleOrDefaultAsync(s => s.Id == snapshotId && s.AgentId == agent.Id, cancellationToken);
        if (snapshot is null)
        {
            return null;
        }

        var blocks = await db.Blocks.Where(b => b.AgentId == agent.Id).ToListAsync(cancellationToken);
        foreach (var saved in snapshot.Blocks)
        {
            var block = blocks.FirstOrDefault(b => b.Label == saved.Label);
            if (block is null || block.Value == saved.Value)
            {
                continue;
            }

            // Restoring is a decision about the whole memory; a conflict's two sides stay in the history.
            block.ConflictUserVersion = null;
            block.ConflictAgentVersion = null;
            sync.AppendVersion(agent, block, saved.Value, Authors.System, $"restore:{snapshot.Id}", null, SyncStates.Pending);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var block in blocks.Where(b => b.SyncState == SyncStates.Pending))
        {
            await sync.PushAsync(block.Id, cancellationToken);
        }

        db.ChangeTracker.Clear();
        return await db.Blocks.AsNoTracking().Where(b => b.AgentId == agent.Id).OrderBy(b => b.Label).ToListAsync(cancellationToken);
    }

    private async Task<string?> ExportAsync(MemoryAgent agent, CancellationToken cancellationToken)
    {
        // A project has no Letta agent to export: its snapshot is its shared blocks.
        if (agent.IsProject || !letta.InstanceNames.Contains(agent.LettaInstance, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return await letta.CreateClient(agent.LettaInstance).ExportAgentAsync(agent.LettaAgentId, cancellationToken: cancellationToken);
        }
        catch (LettaException ex)
        {
            // The blocks are the snapshot; the Agent File is a bonus some backends cannot give right now.
            LogExportFailed(agent.Id, ex.Message);
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Agent File export of agent {AgentId} failed; snapshot taken without it: {Reason}")]
    private partial void LogExportFailed(Guid agentId, string reason);
}
