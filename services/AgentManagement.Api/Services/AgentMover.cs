using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>Why a move was refused before anything changed.</summary>
public sealed class MoveRejectedException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Moves an agent to another Letta instance: export (Agent File) → import on the target → switch the
/// mapping and stage <see cref="AgentMigrated"/> (uncommitted) → delete on the source → commit. Any
/// failure before the commit rolls the mapping back and deletes the imported copy, so the agent is
/// either wholly on the source or wholly on the target. The agent's row stays locked throughout, so a
/// rollout or re-provisioning of the same agent waits for the move.
/// </summary>
public sealed partial class AgentMover(
    AgentManagementDbContext db,
    ILettaClientFactory lettaClients,
    LettaPlacement placement,
    AgentCache cache,
    TimeProvider timeProvider,
    ILogger<AgentMover> logger)
{
    /// <summary>Null when there is no such agent.</summary>
    public async Task<AgentConfig?> MoveAsync(Guid agentId, string targetInstance, CancellationToken cancellationToken)
    {
        if (!placement.IsConfigured(targetInstance))
        {
            throw new MoveRejectedException("targetInstance", $"No Letta instance named '{targetInstance}' is configured.");
        }

        var strategy = db.Database.CreateExecutionStrategy();
        var moved = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var agent = await db.LockAgentAsync(agentId, ct);
            if (agent is null)
            {
                return null;
            }

            if (agent is not { Status: AgentStatus.Active, LettaAgentId: { } sourceAgentId })
            {
                throw new MoveRejectedException("agentId", "The agent is still being provisioned.");
            }

            if (agent.ProjectBlockId is not null)
            {
                // Its project's shared block lives on this instance and a Letta block cannot be attached across servers.
                throw new MoveRejectedException("agentId", "The agent shares its project's memory block, which lives on its project's instance; a project's agents are not moved one by one.");
            }

            var sourceInstance = agent.LettaInstance;
            if (string.Equals(sourceInstance, targetInstance, StringComparison.OrdinalIgnoreCase))
            {
                throw new MoveRejectedException("targetInstance", $"The agent already lives on '{targetInstance}'.");
            }

            if (!await placement.IsHealthyAsync(targetInstance, ct))
            {
                throw new MoveRejectedException("targetInstance", $"Letta instance '{targetInstance}' is not healthy.");
            }

            var source = lettaClients.CreateClient(sourceInstance);
            var target = lettaClients.CreateClient(targetInstance);
            LogMoveStarted(agent.Id, sourceInstance, sourceAgentId, targetInstance);

            var original = await source.GetAgentAsync(sourceAgentId, cancellationToken: ct);
            var agentFile = await source.ExportAgentAsync(sourceAgentId, cancellationToken: ct);
            var imported = await target.ImportAgentAsync(agentFile, new ImportAgentOptions { Name = original.Name }, ct);
            var targetAgentId = imported.AgentIds.Single();
            try
            {
                // The import answered with an id; reading the agent back proves the copy is usable before the mapping points at it.
                await target.GetAgentAsync(targetAgentId, cancellationToken: ct);

                agent.LettaInstance = targetInstance;
                agent.LettaAgentId = targetAgentId;
                agent.UpdatedAt = timeProvider.GetUtcNow();
                db.Outbox().Publish(AgentMessages.Migrated(agent, sourceInstance, sourceAgentId, AgentMessages.Moved));
                await db.SaveChangesAsync(ct);

                await source.DeleteAgentAsync(sourceAgentId, ct);
                await transaction.CommitAsync(ct);
            }
            catch (Exception ex)
            {
                LogMoveRolledBack(ex, agent.Id, sourceInstance, targetInstance);
                await transaction.RollbackAsync(CancellationToken.None);
                await DeleteCopyAsync(target, targetAgentId);
                throw;
            }

            LogMoved(agent.Id, sourceInstance, targetInstance, targetAgentId);
            return agent;
        }, cancellationToken);

        if (moved is not null)
        {
            await cache.EvictAsync(moved, cancellationToken);
            await placement.CountAgentsAsync(db, cancellationToken);
        }

        return moved;
    }

    private async Task DeleteCopyAsync(ILettaClient target, string targetAgentId)
    {
        try
        {
            await target.DeleteAgentAsync(targetAgentId, CancellationToken.None);
        }
        catch (LettaNotFoundException)
        {
        }
        catch (LettaException ex)
        {
            LogCopyOrphaned(ex, target.InstanceName, targetAgentId);
        }
    }

    [LoggerMessage(LogLevel.Information, "Moving agent {AgentId} from {Source} ({SourceAgentId}) to {Target}")]
    private partial void LogMoveStarted(Guid agentId, string source, string sourceAgentId, string target);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Moved agent {AgentId} from {Source} to {Target} as {TargetAgentId}")]
    private partial void LogMoved(Guid agentId, string source, string target, string targetAgentId);

    [LoggerMessage(LogLevel.Warning, "Moving agent {AgentId} from {Source} to {Target} failed; the mapping is unchanged and the imported copy is removed")]
    private partial void LogMoveRolledBack(Exception exception, Guid agentId, string source, string target);

    [LoggerMessage(LogLevel.Error, "Could not remove the imported copy {TargetAgentId} on {Instance}; it is left orphaned")]
    private partial void LogCopyOrphaned(Exception exception, string instance, string targetAgentId);
}
