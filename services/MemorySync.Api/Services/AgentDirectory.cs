using LettaPlatform.AgentManagement.Client;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LettaPlatform.MemorySync.Api.Services;

/// <summary>An agent as agent-management announced it.</summary>
/// <param name="ProjectBlock">The project's shared block the agent holds, versioned on the project rather than on the agent.</param>
public sealed record AgentRegistration(Guid AgentId, string UserId, string LettaInstance, string LettaAgentId, string? TemplateId, SharedProjectBlock? ProjectBlock = null);

/// <summary>
/// Which agents exist and who owns them, learnt from agent-management's events; an agent id seen before
/// its event arrived is asked of agent-management (<see cref="AgentDirectoryClient"/>, whose answers,
/// "no such agent" included, are cached briefly so that probing unknown ids does not turn into a stream of requests).
/// </summary>
public sealed partial class AgentDirectory(
    MemorySyncDbContext db,
    BlockSync sync,
    ILettaClientFactory letta,
    AgentDirectoryClient agentManagement,
    TimeProvider time,
    ILogger<AgentDirectory> logger)
{
    /// <summary>The caller's agent, or null when it does not exist, was deleted, or belongs to someone else.</summary>
    public async Task<MemoryAgent?> FindAsync(string userId, Guid agentId, CancellationToken cancellationToken)
    {
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == agentId, cancellationToken);
        if (agent is not null)
        {
            return agent.UserId == userId && agent.DeletedAt is null && !agent.IsProject ? agent : null;
        }

        AgentResolved? resolved;
        try
        {
            resolved = await agentManagement.FindAsync(userId, agentId, cancellationToken);
        }
        catch (AgentManagementUnavailableException)
        {
            LogResolveFailed(agentId);
            return null;
        }

        if (resolved is null)
        {
            return null;
        }

        await RegisterAsync(
            new AgentRegistration(resolved.AgentId, resolved.UserId, resolved.LettaInstance, resolved.LettaAgentId, resolved.TemplateId, resolved.ProjectBlock),
            null,
            cancellationToken);
        return await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == agentId && a.UserId == userId && a.DeletedAt == null, cancellationToken);
    }

    /// <summary>
    /// The caller's project as memory-sync knows it: the row that owns the project's shared blocks, known once one of the
    /// project's agents was registered. Null when unknown or another person's.
    /// </summary>
    public Task<MemoryAgent?> FindProjectAsync(string userId, Guid projectId, CancellationToken cancellationToken) =>
        db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == projectId && a.IsProject && a.UserId == userId && a.DeletedAt == null, cancellationToken);

    /// <summary>
    /// Records an agent and its blocks as Letta holds them now (<paramref name="blocks"/>, or read from Letta),
    /// as <c>system</c> versions. Idempotent: an agent already known keeps its history.
    /// Returns false when the agent's Letta instance is not configured here.
    /// </summary>
    public async Task<bool> RegisterAsync(AgentRegistration registration, IReadOnlyList<LettaBlock>? blocks, CancellationToken cancellationToken)
    {
        if (!letta.InstanceNames.Contains(registration.LettaInstance, StringComparer.OrdinalIgnoreCase))
        {
            LogUnknownInstance(registration.AgentId, registration.LettaInstance);
            return false;
        }

        blocks ??= await letta.CreateClient(registration.LettaInstance).ListAgentBlocksAsync(registration.LettaAgentId, cancellationToken);
        if (registration.ProjectBlock is { } projectBlock)
        {
            await RegisterProjectBlockAsync(registration, projectBlock, blocks, cancellationToken);
        }

        if (!await db.Agents.AnyAsync(a => a.Id == registration.AgentId, cancellationToken))
        {
            var agent = new MemoryAgent
            {
                Id = registration.AgentId,
                UserId = registration.UserId,
                LettaInstance = registration.LettaInstance,
                LettaAgentId = registration.LettaAgentId,
                TemplateId = registration.TemplateId,
                ProjectId = registration.ProjectBlock?.ProjectId,
                RegisteredAt = time.GetUtcNow(),
            };
            db.Agents.Add(agent);
            // The shared block is the project's, not the agent's: it was recorded on the project above.
            foreach (var lettaBlock in blocks.Where(b => !string.IsNullOrEmpty(b.Label) && !IsShared(b, registration.ProjectBlock)))
            {
                var block = new MemoryBlock
                {
                    Id = Guid.CreateVersion7(),
                    AgentId = agent.Id,
                    Label = lettaBlock.Label!,
                    Limit = lettaBlock.Limit ?? BlockSync.DefaultLimit,
                    LettaValue = lettaBlock.Value,
                    LastSyncedAt = time.GetUtcNow(),
                };
                agent.Blocks.Add(block);
                sync.AppendVersion(agent, block, lettaBlock.Value, Authors.System, "provisioned", null, SyncStates.Synced);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // A concurrent registration of the same agent won; record against its rows instead.
                db.ChangeTracker.Clear();
            }
        }

        if (registration.ProjectBlock is { } joined)
        {
            await JoinAsync(registration.AgentId, joined, cancellationToken);
        }

        await sync.ObserveAsync(registration.AgentId, blocks, null, "provisioned", Authors.System, cancellationToken);
        return true;
    }

    /// <summary>
    /// A known agent re-created in Letta (re-provisioned or restored) holds its project's block again: the project learns
    /// the block's Letta id if it changed, and the agent reads the block from the project.
    /// </summary>
    public async Task JoinProjectAsync(Guid agentId, string userId, string lettaInstance, string lettaAgentId, SharedProjectBlock projectBlock, CancellationToken cancellationToken)
    {
        if (!letta.InstanceNames.Contains(lettaInstance, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        var blocks = await letta.CreateClient(lettaInstance).ListAgentBlocksAsync(lettaAgentId, cancellationToken);
        await RegisterProjectBlockAsync(new AgentRegistration(agentId, userId, lettaInstance, lettaAgentId, null, projectBlock), projectBlock, blocks, cancellationToken);
        await JoinAsync(agentId, projectBlock, cancellationToken);
    }

    /// <summary>
    /// A known agent now reads its project's shared block from the project (it was registered before its project was
    /// known, e.g. from a turn that outran <c>AgentProvisioned</c>): a row of its own for that label, which could only
    /// hold a copy of the shared block's value, is dropped so the agent has one block of that label.
    /// </summary>
    private async Task JoinAsync(Guid agentId, SharedProjectBlock projectBlock, CancellationToken cancellationToken)
    {
        if (!await db.Blocks.AnyAsync(b => b.AgentId == projectBlock.ProjectId && b.Label == projectBlock.Label, cancellationToken))
        {
            return;
        }

        await db.Agents.Where(a => a.Id == agentId && a.ProjectId == null)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.ProjectId, projectBlock.ProjectId), cancellationToken);
        await db.Blocks.Where(b => b.AgentId == agentId && b.Label == projectBlock.Label).ExecuteDeleteAsync(cancellationToken);
    }

    private static bool IsShared(LettaBlock block, SharedProjectBlock? projectBlock) =>
        projectBlock is not null && (block.Id == projectBlock.LettaBlockId || block.Label == projectBlock.Label);

    /// <summary>
    /// Records the project (as the owner of its shared blocks) and its shared block the first time one of its agents is
    /// seen; later agents find both. A block Letta lost and agent-management made again gets its new Letta id.
    /// </summary>
    public async Task RegisterProjectBlockAsync(AgentRegistration registration, SharedProjectBlock projectBlock, IReadOnlyList<LettaBlock> blocks, CancellationToken cancellationToken)
    {
        var inLetta = blocks.FirstOrDefault(b => b.Id == projectBlock.LettaBlockId);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            db.ChangeTracker.Clear();
            var project = await db.Agents.Include(a => a.Blocks).SingleOrDefaultAsync(a => a.Id == projectBlock.ProjectId, cancellationToken);
            if (project is not null && !project.IsProject)
            {
                throw new InvalidOperationException($"Project {projectBlock.ProjectId} has the id of an agent.");
            }

            if (project is null)
            {
                project = new MemoryAgent
                {
                    Id = projectBlock.ProjectId,
                    UserId = registration.UserId,
                    LettaInstance = registration.LettaInstance,
                    LettaAgentId = "",
                    IsProject = true,
                    RegisteredAt = time.GetUtcNow(),
                };
                db.Agents.Add(project);
            }

            var block = project.Blocks.FirstOrDefault(b => b.Label == projectBlock.Label);
            if (block is null)
            {
                if (inLetta is null)
                {
                    // Not attached yet as far as this read shows; the next turn or reconcile records it.
                    return;
                }

                block = new MemoryBlock
                {
                    Id = Guid.CreateVersion7(),
                    AgentId = project.Id,
                    Label = projectBlock.Label,
                    LettaBlockId = projectBlock.LettaBlockId,
                    Limit = inLetta.Limit ?? BlockSync.DefaultLimit,
                    LettaValue = inLetta.Value,
                    LastSyncedAt = time.GetUtcNow(),
                };
                project.Blocks.Add(block);
                sync.AppendVersion(project, block, inLetta.Value, Authors.System, "provisioned", null, SyncStates.Synced);
            }
            else if (block.LettaBlockId != projectBlock.LettaBlockId)
            {
                // agent-management made the block again (Letta lost it) from this block's latest value.
                block.LettaBlockId = projectBlock.LettaBlockId;
                block.LettaValue = inLetta?.Value;
                project.LettaInstance = registration.LettaInstance;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } || BlockSync.IsConcurrentWrite(ex))
            {
                // Another agent of the project registered it at the same moment; read theirs.
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Agent {AgentId} lives on Letta instance {Instance}, which memory-sync is not configured for; ignored")]
    private partial void LogUnknownInstance(Guid agentId, string instance);

    [LoggerMessage(LogLevel.Information, "agent-management did not answer ResolveAgent for unknown agent {AgentId}; answered as unknown")]
    private partial void LogResolveFailed(Guid agentId);
}
