using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// When each agent was last used (<c>last_active_at</c>, what archiving goes by), learnt from resolutions: every
/// service asks agent-management for an agent before it works with it and keeps the answer for a few minutes (chat-api
/// for 5), so an agent in use is resolved at least that often. A resolution the cache answers records the use once per
/// <see cref="AgentManagementOptions.ActivityRecordInterval"/> per agent and replica (capped at a tenth of
/// <see cref="AgentManagementOptions.ArchiveInactiveAfter"/>); a miss always records it. So the time is exact to within
/// the callers' cache duration plus that interval, at no cost per chat turn, where a consumer of every turn's
/// <c>ChatTurnCompleted</c> cost agent-management a message and a database write per turn.
/// </summary>
public sealed class AgentActivity(IOptions<AgentManagementOptions> options, TimeProvider timeProvider) : IDisposable
{
    // Which agents this replica recorded within the interval; entries expire with it.
    private readonly MemoryCache _recorded = new(new MemoryCacheOptions());

    private TimeSpan Interval => options.Value.ActivityRecordInterval < options.Value.ArchiveInactiveAfter / 10
        ? options.Value.ActivityRecordInterval
        : options.Value.ArchiveInactiveAfter / 10;

    /// <summary>Records a use of the agent unless this replica recorded one within the interval.</summary>
    public async Task RecordUseAsync(AgentManagementDbContext db, Guid agentId, CancellationToken cancellationToken)
    {
        if (_recorded.TryGetValue(agentId, out _))
        {
            return;
        }

        await RecordNowAsync(db, agentId, cancellationToken);
    }

    /// <summary>Records a use of the agent now (a resolution that reached the database anyway).</summary>
    public async Task RecordNowAsync(AgentManagementDbContext db, Guid agentId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await db.AgentConfigs.Where(a => a.Id == agentId && a.Status == AgentStatus.Active && a.LastActiveAt < now)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.LastActiveAt, now), cancellationToken);
        if (Interval > TimeSpan.Zero)
        {
            _recorded.Set(agentId, true, Interval);
        }
    }

    public void Dispose() => _recorded.Dispose();
}
