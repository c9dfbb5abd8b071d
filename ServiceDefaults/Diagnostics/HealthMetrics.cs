using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LettaPlatform.ServiceDefaults.Diagnostics;

/// <summary>
/// The latest result of every health check as a gauge (meter <see cref="MeterName"/>,
/// <c>lettaplatform.health.status</c>, tag <c>check</c>): 2 healthy, 1 degraded, 0 unhealthy — the
/// values of <see cref="HealthStatus"/>. The host's health check publisher runs the checks every
/// 30 s, so alerts see the database, the broker, Redis and Letta as the readiness probe does.
/// </summary>
public sealed class HealthMetrics : IHealthCheckPublisher
{
    public const string MeterName = "LettaPlatform.Health";

    private readonly ConcurrentDictionary<string, HealthStatus> _statuses = new(StringComparer.Ordinal);

    public HealthMetrics(IMeterFactory meterFactory)
    {
        meterFactory.Create(MeterName).CreateObservableGauge(
            "lettaplatform.health.status",
            () => _statuses.Select(pair => new Measurement<int>((int)pair.Value, new KeyValuePair<string, object?>("check", pair.Key))),
            description: "Latest result of each health check: 2 healthy, 1 degraded, 0 unhealthy.");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        foreach (var (name, entry) in report.Entries)
        {
            _statuses[name] = entry.Status;
        }

        return Task.CompletedTask;
    }
}
