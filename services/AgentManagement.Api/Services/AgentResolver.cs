using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Letta;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// Answers "which Letta agent is this person's" for chat-api. A cache hit touches no Letta and PostgreSQL only to
/// record the agent's use now and then (<see cref="AgentActivity"/>); a miss restores an archived agent first and records the agent as used. Where a vanished Letta agent (404) is noticed:
/// - on a cache miss, with one GET of the agent: a miss already costs a database read, happens once per
///   cache lifetime, and catches agents lost while nobody was chatting;
/// - on the hot path it would cost a Letta round trip per turn, so there chat-api reports it instead
///   (<see cref="ResolveAgent.LettaAgentMissing"/> after Letta answered 404 to a turn), which bypasses the
///   cache and re-provisions at once.
/// </summary>
public sealed partial class AgentResolver(
    AgentManagementDbContext db,
    AgentProvisioner provisioner,
    AgentRestorer restorer,
    AgentCache cache,
    AgentActivity activity,
    ILogger<AgentResolver> logger)
{
    public async Task<AgentResolved?> ResolveByIdAsync(string userId, Guid agentId, bool lettaAgentMissing, CancellationToken cancellationToken)
    {
        if (!lettaAgentMissing && await cache.GetByIdAsync(agentId, cancellationToken) is { } cached)
        {
            // Cached entries are keyed by agent id alone; the owner check keeps another user's id a miss.
            if (cached.UserId != userId)
            {
                return null;
            }

            await activity.RecordUseAsync(db, agentId, cancellationToken);
            return cached;
        }

        var owned = await db.AgentConfigs.AsNoTracking()
            .AnyAsync(a => a.Id == agentId && a.UserId == userId && a.Status != AgentStatus.Provisioning, cancellationToken);
        return owned ? await VerifyAndCacheAsync(agentId, lettaAgentMissing, cancellationToken) : null;
    }

    /// <summary>By (user, template, project), provisioning on first use; throws <see cref="UnknownTemplateException"/>.</summary>
    public async Task<AgentResolved> ResolveByTemplateAsync(string userId, string templateId, string? projectId, bool lettaAgentMissing, CancellationToken cancellationToken)
    {
        if (!lettaAgentMissing && await cache.GetByKeyAsync(userId, templateId, projectId, cancellationToken) is { } cached)
        {
            await activity.RecordUseAsync(db, cached.AgentId, cancellationToken);
            return cached;
        }

        var (agent, created) = await provisioner.GetOrProvisionAsync(userId, templateId, projectId, cancellationToken);
        if (created)
        {
            var version = await db.GetVersionAsync(agent.TemplateId, agent.TemplateVersion, cancellationToken);
            var resolved = AgentMessages.Resolved(agent, version);
            await cache.SetAsync(resolved, cancellationToken);
            return resolved;
        }

        return await VerifyAndCacheAsync(agent.Id, lettaAgentMissing, cancellationToken)
            ?? throw new InvalidOperationException($"Agent {agent.Id} disappeared while being resolved.");
    }

    /// <param name="lettaAgentMissing">
    /// The caller's turn was just told by Letta that the agent is gone: if Letta cannot be reached now to check
    /// or re-create it, the mapping from the database would send the turn straight back to the missing agent,
    /// so <see cref="LettaRuntimeUnavailableException"/> is thrown instead.
    /// </param>
    private async Task<AgentResolved?> VerifyAndCacheAsync(Guid agentId, bool lettaAgentMissing, CancellationToken cancellationToken)
    {
        // An archived agent is re-created from its snapshot before the caller hears of it, so its first turn waits for that.
        // Failures propagate: answering "not found" for an archived agent Letta cannot take back now would be wrong.
        await restorer.RestoreAsync(agentId, cancellationToken);
        await activity.RecordNowAsync(db, agentId, cancellationToken);

        AgentConfig? agent;
        try
        {
            agent = await provisioner.EnsureInLettaAsync(agentId, cancellationToken);
        }
        catch (Exception ex) when (lettaAgentMissing && ex is LettaException and not LettaNotFoundException or NoHealthyLettaInstanceException)
        {
            LogRestoreDeferred(ex, agentId);
            throw new LettaRuntimeUnavailableException(ex switch
            {
                NoHealthyLettaInstanceException => "no_healthy_instance",
                LettaUnavailableException or LettaRateLimitedException => "letta_unavailable",
                _ => "letta_error",
            }, ex);
        }
        catch (LettaException ex) when (ex is not LettaNotFoundException)
        {
            // Letta is unreachable: answer from the mapping (the turn will fail or succeed on its own),
            // but do not cache an answer that was not verified.
            LogUnverified(ex, agentId);
            agent = await db.AgentConfigs.AsNoTracking().SingleOrDefaultAsync(a => a.Id == agentId && a.Status == AgentStatus.Active, cancellationToken);
            return agent is null ? null : AgentMessages.Resolved(agent, await db.GetVersionAsync(agent.TemplateId, agent.TemplateVersion, cancellationToken));
        }

        if (agent is null)
        {
            return null;
        }

        var resolved = AgentMessages.Resolved(agent, await db.GetVersionAsync(agent.TemplateId, agent.TemplateVersion, cancellationToken));
        await cache.SetAsync(resolved, cancellationToken);
        return resolved;
    }

    [LoggerMessage(LogLevel.Warning, "Letta lost agent {AgentId} and cannot be reached to re-create it now; the caller is told to try again")]
    private partial void LogRestoreDeferred(Exception exception, Guid agentId);

    [LoggerMessage(LogLevel.Warning, "Could not check agent {AgentId} in Letta; answering from the database without caching")]
    private partial void LogUnverified(Exception exception, Guid agentId);
}

/// <summary>An agent Letta lost could not be checked or re-created, because its Letta runtime cannot be reached.</summary>
public sealed class LettaRuntimeUnavailableException(string reason, Exception inner)
    : Exception($"The agent's Letta runtime cannot be reached ({reason}).", inner)
{
    public string Reason { get; } = reason;
}
