using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LettaPlatform.Letta;

/// <summary>GET /v1/health/ on one instance.</summary>
internal sealed class LettaHealthCheck(ILettaClientFactory factory, string instanceName) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var health = await factory.CreateClient(instanceName).GetHealthAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Letta {health.Version}: {health.Status}",
                new Dictionary<string, object> { ["version"] = health.Version, ["status"] = health.Status });
        }
        catch (LettaException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, ex.Message, ex);
        }
    }
}
