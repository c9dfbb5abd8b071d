using System.Diagnostics;
using System.Text.Json;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// Brings an archived agent back when it is used: its latest snapshot's Agent File is imported on its instance (or
/// another healthy one), every block set to memory-sync's latest version (the snapshot's when memory-sync does not
/// answer), and <see cref="Contracts.AgentManagement.AgentMigrated"/> (reason <c>restored</c>, naming those versions)
/// tells chat-api and memory-sync where it lives now. The agent shows <see cref="AgentStatus.Restoring"/> meanwhile; a
/// crash leaves it so, and the next use restores it again, removing the half-done copy first. An agent still in its
/// archiving's first steps is simply left active.
/// </summary>
public sealed partial class AgentRestorer(
    AgentManagementDbContext db,
    ILettaClientFactory lettaClients,
    LettaPlacement placement,
    ProjectMemory projects,
    AgentCache cache,
    IRequestClient<ReadAgentMemory> memoryClient,
    ArchiveHooks hooks,
    AgentManagementMetrics metrics,
    TimeProvider timeProvider,
    ILogger<AgentRestorer> logger)
{
    /// <summary>The agent, active again when it was archived or being archived; null when there is no such agent.</summary>
    public async Task<AgentConfig?> RestoreAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var current = await db.AgentConfigs.AsNoTracking().SingleOrDefaultAsync(a => a.Id == agentId, cancellationToken);
        if (current is null or { Status: AgentStatus.Active or AgentStatus.Provisioning })
        {
            return current;
        }

        // Visible at once in the agents API (the page says "restoring your agent…"), before the work takes the row's lock.
        await db.AgentConfigs.Where(a => a.Id == agentId && a.Status == AgentStatus.Archived)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.Status, AgentStatus.Restoring), cancellationToken);

        var started = Stopwatch.GetTimestamp();
        var strategy = db.Database.CreateExecutionStrategy();
        var (agent, restored) = await strategy.ExecuteAsync(async Task<(AgentConfig? Agent, bool Restored)> (CancellationToken ct) =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var agent = await db.LockAgentAsync(agentId, ct);
            switch (agent)
            {
                case null or { Status: AgentStatus.Active or AgentStatus.Provisioning }:
                    return (agent, false);

                case { Status: AgentStatus.Archiving, ArchiveStep: ArchiveStep.Snapshotting or ArchiveStep.Verified }:
                    // Nothing was deleted yet: the person came back in time, so the archiving simply stops.
                    agent.Status = AgentStatus.Active;
                    agent.ArchiveStep = null;
                    agent.LastActiveAt = agent.UpdatedAt = timeProvider.GetUtcNow();
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                    LogArchiveCancelled(agent.Id);
                    return (agent, false);

                case { Status: AgentStatus.Archiving, LettaAgentId: { } deleting }:
                    // The deletion may have happened or not; finishing it leaves one way forward, from the snapshot.
                    await DeleteQuietlyAsync(agent.LettaInstance, deleting, ct);
                    break;
            }

            await RestoreLockedAsync(agent, ct);
            await transaction.CommitAsync(ct);
            return (agent, true);
        }, cancellationToken);

        if (restored)
        {
            metrics.AgentRestored(agent!.TemplateId, agent.LettaInstance, Stopwatch.GetElapsedTime(started));
            LogRestored(agent.Id, agent.LettaInstance, agent.LettaAgentId!, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await cache.EvictAsync(agent, cancellationToken);
            await placement.CountAgentsAsync(db, cancellationToken);
        }

        return agent;
    }

    private async Task RestoreLockedAsync(AgentConfig agent, CancellationToken cancellationToken)
    {
        var archive = await db.Archives.Where(a => a.AgentId == agent.Id).OrderByDescending(a => a.CreatedAt).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Agent {agent.Id} is {agent.Status} but has no snapshot to restore it from.");
        var project = await projects.FindAsync(agent.UserId, agent.ProjectId, cancellationToken);
        // A project's agents stay on the project's instance: its shared block can only be attached there.
        var instance = project is not null ? await projects.PlaceAsync(project, cancellationToken)
            : await placement.IsHealthyAsync(archive.LettaInstance, cancellationToken) ? archive.LettaInstance : await placement.ChooseAsync(db, cancellationToken);
        var letta = lettaClients.CreateClient(instance);

        // No Letta agent of this platform agent exists while it is archived: one carrying its tag is a crashed restore's.
        await AgentArchiver.DeleteTaggedAsync(letta, LettaAgentSpec.AgentTag(agent.Id), cancellationToken);
        var imported = (await letta.ImportAgentAsync(archive.AgentFile, new ImportAgentOptions(), cancellationToken)).AgentIds.Single();
        try
        {
            var memory = await LatestMemoryAsync(agent, archive, cancellationToken);
            string? sharedBlockId = null;
            if (project is not null)
            {
                // The Agent File carries a copy of the shared block; the agent gets the project's block back instead.
                var sharedValue = memory?.FirstOrDefault(m => m.Label == Project.SharedLabel)?.Value;
                sharedBlockId = await projects.EnsureBlockAsync(project.Id, null, sharedValue, cancellationToken);
                await ProjectMemory.AttachSharedAsync(letta, imported, sharedBlockId, cancellationToken);
                memory = memory?.Where(m => m.Label != Project.SharedLabel).ToList();
            }

            if (memory is not null)
            {
                await ApplyMemoryAsync(letta, imported, memory, cancellationToken);
            }

            await hooks.ReachedAsync(ArchiveHooks.Restored, agent.Id, cancellationToken);
            var now = timeProvider.GetUtcNow();
            agent.Status = AgentStatus.Active;
            agent.ArchiveStep = null;
            agent.ArchivedAt = null;
            agent.LettaInstance = instance;
            agent.LettaAgentId = imported;
            agent.ProjectBlockId = sharedBlockId;
            agent.LastActiveAt = agent.UpdatedAt = now;
            archive.RestoredAt = now;
            db.Outbox().Publish(AgentMessages.Migrated(agent, archive.LettaInstance, archive.LettaAgentId, AgentMessages.Restored, memory));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            await DeleteQuietlyAsync(instance, imported, CancellationToken.None);
            throw;
        }
    }

    /// <summary>memory-sync's latest blocks; the snapshot's when memory-sync does not answer (it pushes what changed since on <c>AgentMigrated</c>).</summary>
    private async Task<IReadOnlyList<AgentMemoryBlock>?> LatestMemoryAsync(AgentConfig agent, AgentArchive archive, CancellationToken cancellationToken)
    {
        try
        {
            var response = await memoryClient.GetResponse<AgentMemoryRead>(new ReadAgentMemory { AgentId = agent.Id, UserId = agent.UserId }, cancellationToken);
            if (response.Message.Known)
            {
                return response.Message.Blocks;
            }
        }
        catch (Exception ex) when (ex is RequestTimeoutException or RequestFaultException && !cancellationToken.IsCancellationRequested)
        {
            LogMemoryFromSnapshot(ex, agent.Id);
        }

        var snapshot = JsonSerializer.Deserialize<AgentMemoryRead>(archive.Memory, JsonSerializerOptions.Web);
        return snapshot is { Known: true } ? snapshot.Blocks : null;
    }

    private static async Task ApplyMemoryAsync(ILettaClient letta, string lettaAgentId, IReadOnlyList<AgentMemoryBlock> memory, CancellationToken cancellationToken)
    {
        var blocks = (await letta.ListAgentBlocksAsync(lettaAgentId, cancellationToken)).Where(b => b.Label is not null).ToDictionary(b => b.Label!, StringComparer.Ordinal);
        foreach (var block in memory)
        {
            if (!blocks.TryGetValue(block.Label, out var inLetta))
            {
                var created = await letta.CreateBlockAsync(new CreateBlockRequest { Label = block.Label, Value = block.Value, Limit = block.Limit }, cancellationToken);
                await letta.AttachBlockAsync(lettaAgentId, created.Id, cancellationToken);
            }
            else if (inLetta.Value != block.Value || inLetta.Limit != block.Limit)
            {
                await letta.ModifyAgentBlockAsync(lettaAgentId, block.Label, new BlockUpdate { Value = block.Value, Limit = block.Limit }, cancellationToken);
            }
        }
    }

    private async Task DeleteQuietlyAsync(string instance, string lettaAgentId, CancellationToken cancellationToken)
    {
        try
        {
            await lettaClients.CreateClient(instance).DeleteAgentAsync(lettaAgentId, cancellationToken);
        }
        catch (LettaNotFoundException)
        {
        }
        catch (LettaException ex) when (cancellationToken == CancellationToken.None)
        {
            LogOrphaned(ex, instance, lettaAgentId);
        }
    }

    [LoggerMessage(EventId = 3111, Level = LogLevel.Information, Message = "Restored agent {AgentId} from its snapshot on {Instance} as {LettaAgentId} in {ElapsedMs} ms")]
    private partial void LogRestored(Guid agentId, string instance, string lettaAgentId, double elapsedMs);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Information, Message = "Agent {AgentId} was used while being archived, before anything was deleted; it stays active")]
    private partial void LogArchiveCancelled(Guid agentId);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning, Message = "memory-sync did not answer while restoring agent {AgentId}; its memory comes from the snapshot and memory-sync pushes what changed since")]
    private partial void LogMemoryFromSnapshot(Exception exception, Guid agentId);

    [LoggerMessage(EventId = 3114, Level = LogLevel.Error, Message = "Could not delete the restored copy {LettaAgentId} on {Instance}; it is removed by the next restore of the agent")]
    private partial void LogOrphaned(Exception exception, string instance, string lettaAgentId);
}
