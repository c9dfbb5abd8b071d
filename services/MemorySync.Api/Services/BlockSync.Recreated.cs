using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.MemorySync.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.MemorySync.Api.Services;

/// <summary>An agent Letta lost and agent-management created again, or one moved to another instance: its memory onto the new Letta agent.</summary>
public sealed partial class BlockSync
{
    /// <summary>
    /// Puts the latest memory onto the agent's (new) Letta agent: every block becomes pending with an unknown
    /// Letta value, so the push writes it without mistaking the new agent's defaults for agent edits.
    /// </summary>
    public async Task RestoreOntoLettaAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var agent = await db.Agents.Include(a => a.Blocks).SingleAsync(a => a.Id == agentId, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var block in agent.Blocks)
        {
            block.LettaValue = null;
            if (block.SyncState == SyncStates.Conflict)
            {
                // Letta held the agent's side of the conflict; keep it there until the person resolves it.
                block.LettaValue = block.Value;
                await PushValueAsync(agent, block, cancellationToken);
                continue;
            }

            block.SyncState = SyncStates.Pending;
            block.NextPushAt = now + options.Value.PushMinRetryDelay;
            block.PushAttempts = 0;
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var blockId in agent.Blocks.Where(b => b.SyncState == SyncStates.Pending).Select(b => b.Id).ToList())
        {
            await PushAsync(blockId, cancellationToken);
        }
    }

    /// <summary>
    /// Takes on an agent that agent-management re-created with <paramref name="createdWith"/> (versions it read
    /// from here just before): Letta already holds those values, so they become the known Letta values and
    /// nothing is pushed or versioned for them. The platform re-creating an agent is not the agent editing its
    /// memory. A block edited since (while the agent was being re-created) is pushed; so is one the new agent
    /// was not created with, whose Letta value is only a template default.
    /// </summary>
    public async Task AdoptRecreatedAsync(Guid agentId, IReadOnlyList<MemoryBlockVersion> createdWith, CancellationToken cancellationToken)
    {
        var labels = createdWith.Select(b => b.Label).ToList();
        var numbers = createdWith.Select(b => b.Version).Distinct().ToList();
        var createdValues = (await db.Versions.AsNoTracking()
                .Where(v => v.AgentId == agentId && labels.Contains(v.Label) && numbers.Contains(v.Version))
                .Select(v => new { v.Label, v.Version, v.Value })
                .ToListAsync(cancellationToken))
            .Where(v => createdWith.Any(b => b.Label == v.Label && b.Version == v.Version))
            .ToDictionary(v => v.Label, v => v.Value);

        for (var attempt = 0; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var agent = await db.Agents.Include(a => a.Blocks).SingleAsync(a => a.Id == agentId, cancellationToken);
            var now = time.GetUtcNow();
            var conflictsToKeep = new List<MemoryBlock>();
            foreach (var block in agent.Blocks)
            {
                var inLetta = createdValues.GetValueOrDefault(block.Label);
                block.LettaValue = inLetta;
                if (inLetta is not null)
                {
                    block.LastSyncedAt = now;
                }

                if (block.SyncState == SyncStates.Conflict)
                {
                    if (inLetta != block.Value)
                    {
                        // Letta held the agent's side of the conflict; keep it there until the person resolves it.
                        block.LettaValue = block.Value;
                        conflictsToKeep.Add(block);
                    }

                    continue;
                }

                if (inLetta == block.Value)
                {
                    if (block.SyncState == SyncStates.Pending)
                    {
                        block.SyncState = SyncStates.Synced;
                        block.NextPushAt = null;
                        block.PushAttempts = 0;
                        block.LastPushError = null;
                        StageChanged(agent, block, block.UpdatedBy, null);
                    }

                    continue;
                }

                block.SyncState = SyncStates.Pending;
                block.NextPushAt = now + options.Value.PushMinRetryDelay;
                block.PushAttempts = 0;
            }

            if (await TrySaveAsync(cancellationToken))
            {
                foreach (var block in conflictsToKeep)
                {
                    await PushValueAsync(agent, block, cancellationToken);
                }

                foreach (var blockId in agent.Blocks.Where(b => b.SyncState == SyncStates.Pending).Select(b => b.Id).ToList())
                {
                    await PushAsync(blockId, cancellationToken);
                }

                return;
            }

            if (attempt >= MaxConcurrencyRetries)
            {
                throw new DbUpdateConcurrencyException($"The blocks of agent {agentId} kept changing while its re-created Letta agent was taken on.");
            }
        }
    }
}
