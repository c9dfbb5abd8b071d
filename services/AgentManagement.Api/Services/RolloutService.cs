using System.Security.Cryptography;
using System.Text;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>A rollout request that does not fit the template's state (field → message).</summary>
public sealed class RolloutRejectedException(string field, string message, bool conflict = false) : Exception(message)
{
    public string Field { get; } = field;

    /// <summary>True when the request is valid but clashes with the current state (409), false for bad input (400).</summary>
    public bool Conflict { get; } = conflict;
}

/// <summary>
/// Starts, promotes and rolls back template rollouts. These calls only record intent (the rollout and
/// one item per agent) and wake <see cref="RolloutWorker"/>, which does the Letta work in the background.
/// </summary>
public sealed class RolloutService(AgentManagementDbContext db, WakeSignal<RolloutWorker> signal, TimeProvider timeProvider)
{
    public async Task<TemplateRollout> StartAsync(string templateId, int version, int canaryPercent, string startedBy, CancellationToken cancellationToken)
    {
        var template = await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken)
            ?? throw new UnknownTemplateException(templateId);
        if (await db.FindVersionAsync(templateId, version, cancellationToken) is null)
        {
            throw new RolloutRejectedException("version", $"Template '{templateId}' has no version {version}.");
        }

        if (version == template.ActiveVersion)
        {
            throw new RolloutRejectedException("version", $"Version {version} is already the active version of '{templateId}'.", conflict: true);
        }

        var now = timeProvider.GetUtcNow();
        var rollout = new TemplateRollout
        {
            Id = Guid.CreateVersion7(now),
            TemplateId = templateId,
            Version = version,
            CanaryPercent = canaryPercent,
            PreviousActiveVersion = template.ActiveVersion,
            Status = RolloutStatus.Canary,
            StartedBy = startedBy,
            CreatedAt = now,
            UpdatedAt = now,
        };

        var agents = await AgentsNotOnAsync(templateId, version, cancellationToken);
        var canaryCount = (int)Math.Ceiling(agents.Count * canaryPercent / 100.0);

        // A stable hash of the agent id picks the canaries, so the same agents lead every rollout of a template.
        var ranked = agents.OrderBy(a => CanaryRank(a.Id)).ToList();
        rollout.Items.AddRange(ranked.Select((agent, index) => NewItem(rollout.Id, agent, canary: index < canaryCount, now)));
        db.Rollouts.Add(rollout);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new RolloutRejectedException("templateId", $"Template '{templateId}' already has a rollout in progress.", conflict: true);
        }

        signal.Notify();
        return rollout;
    }

    /// <summary>Takes a canary rollout to every agent, including agents provisioned since it started.</summary>
    public async Task<TemplateRollout?> PromoteAsync(string templateId, Guid rolloutId, CancellationToken cancellationToken)
    {
        var rollout = await db.Rollouts.Include(r => r.Items).SingleOrDefaultAsync(r => r.Id == rolloutId && r.TemplateId == templateId, cancellationToken);
        if (rollout is null)
        {
            return null;
        }

        if (rollout.Status != RolloutStatus.Canary)
        {
            throw new RolloutRejectedException("status", $"Only a rollout in its canary phase can be promoted (this one is {rollout.Status}).", conflict: true);
        }

        var now = timeProvider.GetUtcNow();
        var known = rollout.Items.Select(i => i.AgentId).ToHashSet();
        foreach (var agent in await AgentsNotOnAsync(templateId, rollout.Version, cancellationToken))
        {
            if (!known.Contains(agent.Id))
            {
                rollout.Items.Add(NewItem(rollout.Id, agent, canary: false, now));
            }
        }

        rollout.Status = RolloutStatus.Promoting;
        rollout.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return rollout;
    }

    /// <summary>Returns every agent the rollout reached to its previous version, and the template to its previous active version.</summary>
    public async Task<TemplateRollout?> RollbackAsync(string templateId, Guid rolloutId, CancellationToken cancellationToken)
    {
        var rollout = await db.Rollouts.Include(r => r.Items).SingleOrDefaultAsync(r => r.Id == rolloutId && r.TemplateId == templateId, cancellationToken);
        if (rollout is null)
        {
            return null;
        }

        if (rollout.Status is RolloutStatus.RollingBack or RolloutStatus.RolledBack)
        {
            throw new RolloutRejectedException("status", $"The rollout is already {rollout.Status}.", conflict: true);
        }

        if (rollout.Status == RolloutStatus.Completed
            && await db.Rollouts.AnyAsync(r => r.TemplateId == templateId && r.CreatedAt > rollout.CreatedAt, cancellationToken))
        {
            throw new RolloutRejectedException("rolloutId", "A later rollout of this template exists; roll that one back first.", conflict: true);
        }

        rollout.Status = RolloutStatus.RollingBack;
        rollout.UpdatedAt = timeProvider.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new RolloutRejectedException("templateId", $"Template '{templateId}' already has another rollout in progress.", conflict: true);
        }

        signal.Notify();
        return rollout;
    }

    private Task<List<AgentConfig>> AgentsNotOnAsync(string templateId, int version, CancellationToken cancellationToken) =>
        db.AgentConfigs.AsNoTracking()
            .Where(a => a.TemplateId == templateId && a.Status == AgentStatus.Active && a.TemplateVersion != version)
            .ToListAsync(cancellationToken);

    private static RolloutItem NewItem(Guid rolloutId, AgentConfig agent, bool canary, DateTimeOffset now) => new()
    {
        RolloutId = rolloutId,
        AgentId = agent.Id,
        PreviousVersion = agent.TemplateVersion,
        Canary = canary,
        State = RolloutItemState.Pending,
        UpdatedAt = now,
    };

    private static ulong CanaryRank(Guid agentId) =>
        BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(agentId.ToString("N"))), 0);
}
