using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>The service's own instruments (meter <see cref="MeterName"/>).</summary>
public sealed class AgentManagementMetrics
{
    public const string MeterName = "LettaPlatform.AgentManagement";

    private readonly Counter<long> _provisioned;
    private readonly Histogram<double> _provisioningDuration;
    private readonly Counter<long> _cacheLookups;
    private readonly Counter<long> _rolloutAgents;
    private readonly Counter<long> _archived;
    private readonly Counter<long> _archiveFreedBytes;
    private readonly Counter<long> _restored;
    private readonly Histogram<double> _restoreDuration;
    private readonly ConcurrentDictionary<string, long> _agentsPerInstance = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _agentsByStatus = new(StringComparer.Ordinal);

    public AgentManagementMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(MeterName);
        _provisioned = Meter.CreateCounter<long>("agentmanagement.agents.provisioned", "{agent}", "Letta agents created (first provisioning and re-provisioning).");
        _provisioningDuration = Meter.CreateHistogram<double>("agentmanagement.provisioning.duration", "s", "Time to create an agent in Letta and record it.");
        _cacheLookups = Meter.CreateCounter<long>("agentmanagement.resolution.cache.lookups", "{lookup}", "Agent resolutions by cache result (hit or miss).");
        _rolloutAgents = Meter.CreateCounter<long>("agentmanagement.rollout.agents", "{agent}", "Agents a rollout has processed, by outcome.");
        Meter.CreateObservableGauge("agentmanagement.agents.per_instance", ObserveAgentsPerInstance, "{agent}", "Agents placed on each Letta instance.");
        _archived = Meter.CreateCounter<long>("agentmanagement.agents.archived", "{agent}", "Idle agents archived: snapshotted and deleted from Letta.");
        _archiveFreedBytes = Meter.CreateCounter<long>("agentmanagement.archive.freed", "By", "Size of the Agent Files of the agents archived: what they no longer hold in Letta.");
        _restored = Meter.CreateCounter<long>("agentmanagement.agents.restored", "{agent}", "Archived agents re-created in Letta from their snapshot when used again.");
        _restoreDuration = Meter.CreateHistogram<double>("agentmanagement.restore.duration", "s", "Time to re-create an archived agent in Letta (what its person's first reply waits).");
        Meter.CreateObservableGauge("agentmanagement.agents.by_status", ObserveAgentsByStatus, "{agent}", "Agents by status: active, archived, archiving, restoring, provisioning.");
    }

    public Meter Meter { get; }

    public void AgentProvisioned(string templateId, string instance, string reason, TimeSpan duration)
    {
        var tags = new TagList { { "template", templateId }, { "letta.instance", instance }, { "reason", reason } };
        _provisioned.Add(1, tags);
        _provisioningDuration.Record(duration.TotalSeconds, tags);
    }

    public void CacheHit() => _cacheLookups.Add(1, new KeyValuePair<string, object?>("result", "hit"));

    public void CacheMiss() => _cacheLookups.Add(1, new KeyValuePair<string, object?>("result", "miss"));

    public void RolloutAgent(string templateId, int version, string outcome) =>
        _rolloutAgents.Add(1, new TagList { { "template", templateId }, { "version", version }, { "outcome", outcome } });

    public void AgentArchived(string templateId, string instance, long agentFileBytes)
    {
        var tags = new TagList { { "template", templateId }, { "letta.instance", instance } };
        _archived.Add(1, tags);
        _archiveFreedBytes.Add(agentFileBytes, tags);
    }

    public void AgentRestored(string templateId, string instance, TimeSpan duration)
    {
        var tags = new TagList { { "template", templateId }, { "letta.instance", instance } };
        _restored.Add(1, tags);
        _restoreDuration.Record(duration.TotalSeconds, tags);
    }

    public void SetAgentsByStatus(IReadOnlyDictionary<string, long> counts)
    {
        foreach (var (status, count) in counts)
        {
            _agentsByStatus[status] = count;
        }
    }

    public void SetAgentsPerInstance(IReadOnlyDictionary<string, long> counts)
    {
        foreach (var name in _agentsPerInstance.Keys.Except(counts.Keys, StringComparer.OrdinalIgnoreCase))
        {
            _agentsPerInstance[name] = 0;
        }

        foreach (var (name, count) in counts)
        {
            _agentsPerInstance[name] = count;
        }
    }

    private IEnumerable<Measurement<long>> ObserveAgentsByStatus() =>
        _agentsByStatus.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("status", pair.Key)));

    private IEnumerable<Measurement<long>> ObserveAgentsPerInstance() =>
        _agentsPerInstance.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("letta.instance", pair.Key)));
}
