using LettaPlatform.AgentManagement.Client;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LettaPlatform.MemorySync.Api.Services;

/// <summary>An agent as agent-management announced it.</summary>
public sealed record AgentRegistration(Guid AgentId, string UserId, string LettaInstance, string LettaAgentId, string? TemplateId);

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
            return agent.UserId == userId && agent.DeletedAt is null ? agent : null;
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

        await RegisterAsync(new AgentRegistration(resolved.AgentId, resolved.UserId, resolved.LettaInstance, resolved.LettaAgentId, resolved.TemplateId), null, cancellationToken);
        return await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == agentId && a.UserId == userId && a.DeletedAt == null, cancellationToken);
    }

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

        if (!await db.Agents.AnyAsync(a => a.Id == registration.AgentId, cancellationToken))
        {
            var agent = new MemoryAgent
            {
                Id = registration.AgentId,
                UserId = registration.UserId,
                LettaInstance = registration.LettaInstance,
                LettaAgentId = registration.LettaAgentId,
                TemplateId = registration.TemplateId,
                RegisteredAt = time.GetUtcNow(),
            };
            db.Agents.Add(agent);
            foreach (var lettaBlock in blocks.Where(b => !string.IsNullOrEmpty(b.Label)))
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

        await sync.ObserveAsync(registration.AgentId, blocks, null, "provisioned", Authors.System, cancellationToken);
        return true;
    }

    [LoggerMessage(LogLevel.Warning, "Agent {AgentId} lives on Letta instance {Instance}, which memory-sync is not configured for; ignored")]
    private partial void LogUnknownInstance(Guid agentId, string instance);

    [LoggerMessage(LogLevel.Information, "agent-management did not answer ResolveAgent for unknown agent {AgentId}; answered as unknown")]
    private partial void LogResolveFailed(Guid agentId);
}
