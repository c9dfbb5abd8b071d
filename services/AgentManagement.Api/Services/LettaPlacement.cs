using System.Collections.Concurrent;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Letta;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>No configured Letta instance is healthy, so no agent can be placed.</summary>
public sealed class NoHealthyLettaInstanceException(string message) : Exception(message);

/// <summary>
/// Chooses the Letta instance a new agent lives on: among the healthy ones, the one with the fewest
/// agents (ties by name, so placement is predictable). Health answers are cached briefly, because a
/// burst of first requests would otherwise probe every instance once per request.
/// </summary>
public sealed partial class LettaPlacement(
    ILettaClientFactory lettaClients,
    AgentManagementMetrics metrics,
    IOptions<AgentManagementOptions> options,
    TimeProvider timeProvider,
    ILogger<LettaPlacement> logger)
{
    private readonly ConcurrentDictionary<string, Task<HealthAnswer>> _health = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Instances => lettaClients.InstanceNames;

    public bool IsConfigured(string instance) => lettaClients.InstanceNames.Contains(instance, StringComparer.OrdinalIgnoreCase);

    public async Task<string> ChooseAsync(AgentManagementDbContext db, CancellationToken cancellationToken)
    {
        var names = lettaClients.InstanceNames.Order(StringComparer.OrdinalIgnoreCase).ToList();
        var healthy = await Task.WhenAll(names.Select(async name => (name, healthy: await IsHealthyAsync(name, cancellationToken))));
        var candidates = healthy.Where(h => h.healthy).Select(h => h.name).ToList();
        if (candidates.Count == 0)
        {
            throw new NoHealthyLettaInstanceException($"None of the configured Letta instances ({string.Join(", ", names)}) is healthy.");
        }

        var counts = await CountAgentsAsync(db, cancellationToken);
        var chosen = candidates.MinBy(name => counts.GetValueOrDefault(name))!;
        LogPlaced(chosen, counts.GetValueOrDefault(chosen), candidates.Count, names.Count);
        return chosen;
    }

    /// <summary>
    /// Agents recorded per configured instance (claims in progress included, archived agents not: they hold no Letta
    /// agent), also fed to the per-instance gauge, and agents per status to the status gauge.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> CountAgentsAsync(AgentManagementDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.AgentConfigs
            .GroupBy(a => new { a.LettaInstance, a.Status })
            .Select(g => new { g.Key.LettaInstance, g.Key.Status, Count = g.LongCount() })
            .ToListAsync(cancellationToken);

        var counts = lettaClients.InstanceNames.ToDictionary(name => name, _ => 0L, StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows.Where(r => r.Status != AgentStatus.Archived))
        {
            counts[row.LettaInstance] = counts.GetValueOrDefault(row.LettaInstance) + row.Count;
        }

        metrics.SetAgentsByStatus(Enum.GetValues<AgentStatus>().ToDictionary(
            status => status.ToString().ToLowerInvariant(), status => rows.Where(r => r.Status == status).Sum(r => r.Count)));
        metrics.SetAgentsPerInstance(counts);
        return counts;
    }

    public async Task<bool> IsHealthyAsync(string instance, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var probe = _health.AddOrUpdate(
            instance,
            name => ProbeAsync(name),
            (name, existing) => existing.IsCompleted && existing.Result.CheckedAt + options.Value.InstanceHealthCacheDuration <= now
                ? ProbeAsync(name)
                : existing);
        return (await probe.WaitAsync(cancellationToken)).Healthy;
    }

    /// <summary>
    /// The instance just answered a call (a 404 for a lost agent counts): it is reachable now, whatever a probe
    /// cached during an outage says, so re-creating the agent there does not wait for that answer to expire.
    /// </summary>
    public void RecordAnswered(string instance) =>
        _health[instance] = Task.FromResult(new HealthAnswer(true, timeProvider.GetUtcNow()));

    private async Task<HealthAnswer> ProbeAsync(string instance)
    {
        using var timeout = new CancellationTokenSource(options.Value.InstanceHealthTimeout);
        try
        {
            await lettaClients.CreateClient(instance).GetHealthAsync(timeout.Token);
            return new HealthAnswer(true, timeProvider.GetUtcNow());
        }
        catch (Exception ex) when (ex is LettaException or OperationCanceledException or HttpRequestException)
        {
            LogUnhealthy(instance, ex.Message);
            return new HealthAnswer(false, timeProvider.GetUtcNow());
        }
    }

    private sealed record HealthAnswer(bool Healthy, DateTimeOffset CheckedAt);

    [LoggerMessage(LogLevel.Debug, "Placed a new agent on Letta instance {Instance} ({Agents} agents there; {Healthy} of {Configured} instances healthy)")]
    private partial void LogPlaced(string instance, long agents, int healthy, int configured);

    [LoggerMessage(LogLevel.Warning, "Letta instance {Instance} is unhealthy and gets no new agents: {Reason}")]
    private partial void LogUnhealthy(string instance, string reason);
}
