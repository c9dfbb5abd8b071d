using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.MemorySync.Api.Services;

public enum EditStatus
{
    Ok,
    UnknownBlock,
    Stale,
    InConflict,
    NotInConflict,
    Invalid,
    VersionNotFound,
}

public sealed record EditResult(EditStatus Status, MemoryBlock? Block = null, Dictionary<string, string[]>? Errors = null);

/// <summary>A person's changes to a block: edit, rollback, conflict resolution. Each is a new user version pushed to Letta.</summary>
public sealed class BlockEdits(MemorySyncDbContext db, BlockSync sync, MemorySyncMetrics metrics)
{
    public const string KeepUser = "user";
    public const string KeepAgent = "agent";
    public const string KeepMerged = "merged";

    /// <summary>
    /// The labels a person may write are those of the blocks the agent has: the ones it was provisioned with
    /// from its template (and any Letta itself added later). A PUT never creates a new label.
    /// </summary>
    public async Task<EditResult> EditAsync(MemoryAgent agent, string label, int expectedVersion, string? value, CancellationToken cancellationToken)
    {
        var block = await db.BlocksOf(agent).SingleOrDefaultAsync(b => b.Label == label, cancellationToken);
        if (block is null)
        {
            var labels = await db.BlocksOf(agent).OrderBy(b => b.Label).Select(b => b.Label).ToListAsync(cancellationToken);
            return new EditResult(EditStatus.UnknownBlock, Errors: new()
            {
                ["label"] = [$"'{label}' is not a block of this agent (its blocks: {string.Join(", ", labels)}); new labels cannot be added."],
            });
        }

        if (block.CurrentVersion != expectedVersion)
        {
            return new EditResult(EditStatus.Stale, block);
        }

        if (block.SyncState == SyncStates.Conflict)
        {
            return new EditResult(EditStatus.InConflict, block);
        }

        var errors = BlockValueValidator.Validate(value, block.Limit);
        if (errors.Count > 0)
        {
            return new EditResult(EditStatus.Invalid, block, errors);
        }

        return await SaveAndPushAsync(agent, block, value!, "edit", clearConflict: false, cancellationToken);
    }

    public async Task<EditResult> RollbackAsync(MemoryAgent agent, string label, int version, CancellationToken cancellationToken)
    {
        var block = await db.BlocksOf(agent).SingleOrDefaultAsync(b => b.Label == label, cancellationToken);
        if (block is null)
        {
            return new EditResult(EditStatus.UnknownBlock);
        }

        if (block.SyncState == SyncStates.Conflict)
        {
            return new EditResult(EditStatus.InConflict, block);
        }

        var target = await db.Versions.AsNoTracking().SingleOrDefaultAsync(v => v.BlockId == block.Id && v.Version == version, cancellationToken);
        if (target is null)
        {
            return new EditResult(EditStatus.VersionNotFound, block);
        }

        return await SaveAndPushAsync(agent, block, target.Value, $"rollback:{version}", clearConflict: false, cancellationToken);
    }

    public async Task<EditResult> ResolveAsync(MemoryAgent agent, string label, string keep, string? mergedValue, CancellationToken cancellationToken)
    {
        var block = await db.BlocksOf(agent).SingleOrDefaultAsync(b => b.Label == label, cancellationToken);
        if (block is null)
        {
            return new EditResult(EditStatus.UnknownBlock);
        }

        if (block.SyncState != SyncStates.Conflict)
        {
            return new EditResult(EditStatus.NotInConflict, block);
        }

        string? value;
        switch (keep)
        {
            case KeepUser or KeepAgent:
                var side = keep == KeepUser ? block.ConflictUserVersion : block.ConflictAgentVersion;
                value = await db.Versions.Where(v => v.BlockId == block.Id && v.Version == side).Select(v => v.Value).SingleAsync(cancellationToken);
                break;
            case KeepMerged:
                value = mergedValue;
                var errors = BlockValueValidator.Validate(value, block.Limit);
                if (errors.Count > 0)
                {
                    return new EditResult(EditStatus.Invalid, block, errors);
                }

                break;
            default:
                return new EditResult(EditStatus.Invalid, block, new() { ["keep"] = ["keep must be 'user', 'agent' or 'merged'."] });
        }

        return await SaveAndPushAsync(agent, block, value!, $"resolve:{keep}", clearConflict: true, cancellationToken);
    }

    private async Task<EditResult> SaveAndPushAsync(MemoryAgent agent, MemoryBlock block, string value, string reason, bool clearConflict, CancellationToken cancellationToken)
    {
        // Undoing the agent's latest edit (a rollback, or an edit back to the value before it) is a sign the agent
        // learned something wrong; MemoryInsights counts the same from the history.
        var undoesAgentEdit = block.UpdatedBy == Authors.Agent
            && (reason.StartsWith("rollback", StringComparison.Ordinal)
                || (reason == "edit" && await db.Versions.AnyAsync(v => v.BlockId == block.Id && v.Version == block.CurrentVersion - 1 && v.Value == value, cancellationToken)));
        sync.AppendVersion(agent, block, value, Authors.User, reason, null, SyncStates.Pending);
        if (clearConflict)
        {
            block.ConflictUserVersion = null;
            block.ConflictAgentVersion = null;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (BlockSync.IsConcurrentWrite(ex))
        {
            db.ChangeTracker.Clear();
            return new EditResult(EditStatus.Stale, await db.Blocks.AsNoTracking().SingleAsync(b => b.Id == block.Id, cancellationToken));
        }

        if (undoesAgentEdit)
        {
            metrics.AgentEditReverted(block.Label, agent.TemplateId ?? "unknown");
        }

        await sync.PushAsync(block.Id, cancellationToken);
        db.ChangeTracker.Clear();
        return new EditResult(EditStatus.Ok, await db.Blocks.AsNoTracking().SingleAsync(b => b.Id == block.Id, cancellationToken));
    }
}
