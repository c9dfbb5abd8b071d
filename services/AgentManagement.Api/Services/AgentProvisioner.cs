using System.Diagnostics;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>Another request is still provisioning this agent and did not finish within the wait.</summary>
public sealed class ProvisioningInProgressException(Guid agentId)
    : Exception($"Agent {agentId} is still being provisioned; try again shortly.")
{
    public Guid AgentId { get; } = agentId;
}

/// <summary>memory-sync did not give an agent's memory, so the agent Letta lost is not re-created yet.</summary>
public sealed class AgentMemoryUnavailableException(Guid agentId, Exception inner)
    : Exception($"memory-sync did not answer with the memory of agent {agentId}; it is re-created once it does, not from its template alone.", inner)
{
    public Guid AgentId { get; } = agentId;
}

/// <summary>
/// Creates, re-creates and deletes agents in Letta. First use follows claim-then-provision: a request
/// inserts the (user, template, project) row in state Provisioning, and the unique index lets exactly
/// one insert win; only the winner creates the Letta agent, every other request waits for the row to
/// turn Active. A claim whose holder died is taken over after the lease, adopting a Letta agent the
/// holder may already have created (found by its platform tag) instead of making a second one.
/// </summary>
public sealed partial class AgentProvisioner(
    AgentManagementDbContext db,
    ILettaClientFactory lettaClients,
    LettaPlacement placement,
    ProjectMemory projects,
    AgentCache cache,
    IRequestClient<ReadAgentMemory> memoryClient,
    AgentManagementMetrics metrics,
    IOptions<AgentManagementOptions> options,
    IOptions<AgentModelsOptions> models,
    TimeProvider timeProvider,
    ILogger<AgentProvisioner> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The caller's agent for (template, project), provisioned on first use; <c>Created</c> tells whether this call made it.</summary>
    public async Task<(AgentConfig Agent, bool Created)> GetOrProvisionAsync(string userId, string templateId, string? projectId, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + options.Value.ProvisioningWait;
        if (await projects.FindAsync(userId, projectId, cancellationToken) is { } named)
        {
            // One spelling of a project's id, so its agents are found by it whatever case or braces the caller used.
            projectId = named.Id.ToString();
        }

        while (true)
        {
            var existing = await db.AgentConfigs.AsNoTracking()
                .SingleOrDefaultAsync(a => a.UserId == userId && a.TemplateId == templateId && a.ProjectId == projectId, cancellationToken);

            switch (existing)
            {
                case { Status: AgentStatus.Active or AgentStatus.Archiving or AgentStatus.Archived or AgentStatus.Restoring }:
                    // An archived agent is still the person's agent: resolving it restores it.
                    return (existing, false);

                case null:
                    var claim = await TryClaimAsync(userId, templateId, projectId, cancellationToken);
                    if (claim is not null)
                    {
                        return (await CompleteClaimAsync(claim, adopt: false, cancellationToken), true);
                    }

                    break;

                case { ClaimedAt: { } claimedAt } when claimedAt + options.Value.ProvisioningLease < timeProvider.GetUtcNow():
                    var takenOver = await TryTakeOverAsync(existing.Id, claimedAt, cancellationToken);
                    if (takenOver is not null)
                    {
                        LogTakenOver(existing.Id, claimedAt);
                        return (await CompleteClaimAsync(takenOver, adopt: true, cancellationToken), true);
                    }

                    break;
            }

            if (timeProvider.GetUtcNow() > deadline)
            {
                throw new ProvisioningInProgressException(existing?.Id ?? Guid.Empty);
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken);
        }
    }

    /// <summary>
    /// Makes sure the agent still exists in Letta; when Letta answers 404 it is created again (on the same
    /// instance when healthy) from its template version with the person's current memory, asked of memory-sync
    /// first, so its first reply already knows what the person wrote. <see cref="AgentMigrated"/> (reason
    /// <c>reprovisioned</c>) names the versions it was created with, so memory-sync records no new ones.
    /// Throws <see cref="AgentMemoryUnavailableException"/> when memory-sync does not answer. Null when there is
    /// no such active agent.
    /// </summary>
    public async Task<AgentConfig?> EnsureInLettaAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var (agent, migrated) = await strategy.ExecuteAsync(async Task<(AgentConfig? Agent, bool Migrated)> (CancellationToken ct) =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var agent = await db.LockAgentAsync(agentId, ct);
            if (agent is not { Status: AgentStatus.Active, LettaAgentId: { } lettaAgentId })
            {
                return (null, false);
            }

            try
            {
                await lettaClients.CreateClient(agent.LettaInstance).GetAgentAsync(lettaAgentId, cancellationToken: ct);
                await transaction.CommitAsync(ct);
                return (agent, false);
            }
            catch (LettaNotFoundException)
            {
                LogVanished(agent.Id, agent.LettaInstance, lettaAgentId);
                placement.RecordAnswered(agent.LettaInstance);
            }

            var fromInstance = agent.LettaInstance;
            var project = await projects.FindAsync(agent.UserId, agent.ProjectId, ct);
            // A project's agents stay on the project's instance: its shared block can only be attached there.
            var instance = project is not null ? await projects.PlaceAsync(project, ct)
                : await placement.IsHealthyAsync(fromInstance, ct) ? fromInstance : await placement.ChooseAsync(db, ct);
            var version = await db.GetVersionAsync(agent.TemplateId, agent.TemplateVersion, ct);
            var memory = await ReadMemoryAsync(agent, ct);
            string? sharedBlockId = null;
            if (project is not null)
            {
                // The shared block is re-attached; only when Letta lost it too is it made again, with memory-sync's latest value.
                var sharedValue = memory?.FirstOrDefault(m => m.Label == Project.SharedLabel)?.Value;
                sharedBlockId = await projects.EnsureBlockAsync(project.Id, version.FindBlock(Project.SharedLabel), sharedValue, ct);
                memory = memory?.Where(m => m.Label != Project.SharedLabel).ToList();
            }

            agent.LettaInstance = instance;
            var created = await CreateInLettaAsync(agent, version, "reprovisioned", ct, memory, sharedBlockId);
            try
            {
                agent.ProjectBlockId = sharedBlockId;
                agent.LettaAgentId = created.Id;
                agent.UpdatedAt = timeProvider.GetUtcNow();
                db.Outbox().Publish(AgentMessages.Migrated(agent, fromInstance, lettaAgentId, AgentMessages.Reprovisioned, memory));
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch
            {
                await DeleteQuietlyAsync(instance, created.Id);
                throw;
            }

            return (agent, true);
        }, cancellationToken);

        if (migrated)
        {
            await cache.EvictAsync(agent!, cancellationToken);
        }

        return agent;
    }

    /// <summary>Deletes the agent in Letta (already gone counts as deleted), then its row, publishing <see cref="AgentDeleted"/>.</summary>
    public async Task DeleteAsync(AgentConfig agent, CancellationToken cancellationToken)
    {
        if (agent.LettaAgentId is { } lettaAgentId)
        {
            try
            {
                await lettaClients.CreateClient(agent.LettaInstance).DeleteAgentAsync(lettaAgentId, cancellationToken);
            }
            catch (LettaNotFoundException)
            {
            }
        }

        db.AgentConfigs.Remove(agent);
        db.Outbox().Publish(AgentMessages.Deleted(agent, timeProvider.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await cache.EvictAsync(agent, cancellationToken);
        await placement.CountAgentsAsync(db, cancellationToken);
    }

    private async Task<AgentConfig?> TryClaimAsync(string userId, string templateId, string? projectId, CancellationToken cancellationToken)
    {
        var version = await db.GetActiveVersionAsync(templateId, cancellationToken);
        var ofProject = await projects.FindAsync(userId, projectId, cancellationToken);
        var instance = ofProject is null ? await placement.ChooseAsync(db, cancellationToken) : await projects.PlaceAsync(ofProject, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var status = nameof(AgentStatus.Provisioning);

        // A bare null cannot tell Npgsql its type, so "no project" goes in as a typed parameter.
        var project = new NpgsqlParameter("project_id", NpgsqlDbType.Text) { Value = (object?)projectId ?? DBNull.Value };

        // ON CONFLICT DO NOTHING: losing the race is the normal case under concurrent first use, not an error.
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO agent_configs (id, user_id, template_id, project_id, template_version, letta_instance, status, created_at, updated_at, claimed_at, last_active_at)
            VALUES ({id}, {userId}, {templateId}, {project}, {version.Version}, {instance}, {status}, {now}, {now}, {now}, {now})
            ON CONFLICT DO NOTHING
            """, cancellationToken);

        return inserted == 1 ? await db.AgentConfigs.AsNoTracking().SingleAsync(a => a.Id == id, cancellationToken) : null;
    }

    private async Task<AgentConfig?> TryTakeOverAsync(Guid agentId, DateTimeOffset claimedAt, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var updated = await db.AgentConfigs
            .Where(a => a.Id == agentId && a.Status == AgentStatus.Provisioning && a.ClaimedAt == claimedAt)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.ClaimedAt, now).SetProperty(a => a.UpdatedAt, now), cancellationToken);
        return updated == 1 ? await db.AgentConfigs.AsNoTracking().SingleAsync(a => a.Id == agentId, cancellationToken) : null;
    }

    private async Task<AgentConfig> CompleteClaimAsync(AgentConfig claim, bool adopt, CancellationToken cancellationToken)
    {
        AgentState? created = null;
        var createdHere = false;
        AgentConfig agent;
        try
        {
            var version = await db.GetVersionAsync(claim.TemplateId, claim.TemplateVersion, cancellationToken);
            var letta = lettaClients.CreateClient(claim.LettaInstance);
            var adopted = adopt
                ? (await letta.ListAgentsAsync(new ListAgentsQuery { Tags = [LettaAgentSpec.AgentTag(claim.Id)], Limit = 1 }, cancellationToken)).FirstOrDefault()
                : null;
            createdHere = adopted is null;
            var project = await projects.FindAsync(claim.UserId, claim.ProjectId, cancellationToken);
            var sharedBlockId = project is null ? null
                : await projects.EnsureBlockAsync(project.Id, version.FindBlock(Project.SharedLabel), null, cancellationToken);
            created = adopted ?? await CreateInLettaAsync(claim, version, "first_use", cancellationToken, sharedBlockId: sharedBlockId);
            if (adopted is not null && sharedBlockId is not null)
            {
                await ProjectMemory.AttachSharedAsync(letta, adopted.Id, sharedBlockId, cancellationToken);
            }

            agent = await db.AgentConfigs.SingleAsync(a => a.Id == claim.Id, cancellationToken);
            if (agent.ClaimedAt != claim.ClaimedAt)
            {
                throw new DbUpdateConcurrencyException($"The provisioning claim on agent {claim.Id} was taken over.");
            }

            agent.LettaAgentId = created.Id;
            agent.ProjectBlockId = sharedBlockId;
            agent.Status = AgentStatus.Active;
            agent.ClaimedAt = null;
            agent.UpdatedAt = timeProvider.GetUtcNow();
            db.Outbox().Publish(AgentMessages.Provisioned(agent));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            LogProvisioningFailed(ex, claim.Id, claim.LettaInstance);
            db.ChangeTracker.Clear();

            // Give the slot back so the next request claims it afresh; the request may have been cancelled, so not its token.
            await db.AgentConfigs
                .Where(a => a.Id == claim.Id && a.Status == AgentStatus.Provisioning && a.ClaimedAt == claim.ClaimedAt)
                .ExecuteDeleteAsync(CancellationToken.None);
            // An adopted agent stays: whoever holds the claim now adopts it in turn.
            if (created is not null && createdHere)
            {
                await DeleteQuietlyAsync(claim.LettaInstance, created.Id);
            }

            throw;
        }

        LogProvisioned(agent.Id, agent.UserId, agent.TemplateId, agent.TemplateVersion, agent.LettaInstance, created.Id);
        await placement.CountAgentsAsync(db, cancellationToken);
        return agent;
    }

    /// <summary>memory-sync's latest versions of the agent's blocks; null when it has no memory of the agent (nothing was edited yet).</summary>
    private async Task<IReadOnlyList<AgentMemoryBlock>?> ReadMemoryAsync(AgentConfig agent, CancellationToken cancellationToken)
    {
        try
        {
            var response = await memoryClient.GetResponse<AgentMemoryRead>(new ReadAgentMemory { AgentId = agent.Id, UserId = agent.UserId }, cancellationToken);
            return response.Message.Known ? response.Message.Blocks : null;
        }
        catch (Exception ex) when (ex is RequestTimeoutException or RequestFaultException && !cancellationToken.IsCancellationRequested)
        {
            LogMemoryUnavailable(ex, agent.Id);
            throw new AgentMemoryUnavailableException(agent.Id, ex);
        }
    }

    private async Task<AgentState> CreateInLettaAsync(
        AgentConfig agent, AgentTemplateVersion version, string reason, CancellationToken cancellationToken,
        IReadOnlyList<AgentMemoryBlock>? memory = null, string? sharedBlockId = null)
    {
        var started = Stopwatch.GetTimestamp();
        var created = await lettaClients.CreateClient(agent.LettaInstance)
            .CreateAgentAsync(LettaAgentSpec.CreateRequest(agent, version, models.Value, memory, sharedBlockId), cancellationToken);
        metrics.AgentProvisioned(agent.TemplateId, agent.LettaInstance, reason, Stopwatch.GetElapsedTime(started));
        return created;
    }

    private async Task DeleteQuietlyAsync(string instance, string lettaAgentId)
    {
        try
        {
            await lettaClients.CreateClient(instance).DeleteAgentAsync(lettaAgentId, CancellationToken.None);
        }
        catch (LettaException ex)
        {
            LogOrphaned(ex, instance, lettaAgentId);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Provisioned agent {AgentId} for user {UserId} from {TemplateId} v{TemplateVersion} on {Instance} as {LettaAgentId}")]
    private partial void LogProvisioned(Guid agentId, string userId, string templateId, int templateVersion, string instance, string lettaAgentId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Provisioning agent {AgentId} on {Instance} failed; its claim is released")]
    private partial void LogProvisioningFailed(Exception exception, Guid agentId, string instance);

    [LoggerMessage(LogLevel.Warning, "Took over the provisioning claim of agent {AgentId}, abandoned since {ClaimedAt}")]
    private partial void LogTakenOver(Guid agentId, DateTimeOffset claimedAt);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Agent {AgentId} no longer exists on Letta instance {Instance} ({LettaAgentId}); re-provisioning it from its template and current memory")]
    private partial void LogVanished(Guid agentId, string instance, string lettaAgentId);

    [LoggerMessage(LogLevel.Warning, "Agent {AgentId} vanished from Letta, but memory-sync did not give its memory; it is not re-created yet")]
    private partial void LogMemoryUnavailable(Exception exception, Guid agentId);

    [LoggerMessage(LogLevel.Error, "Could not delete Letta agent {LettaAgentId} on {Instance}; it is left orphaned")]
    private partial void LogOrphaned(Exception exception, string instance, string lettaAgentId);
}
