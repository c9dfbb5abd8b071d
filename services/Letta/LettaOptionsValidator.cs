using Microsoft.Extensions.Options;

namespace LettaPlatform.Letta;

internal sealed class LettaOptionsValidator : IValidateOptions<LettaOptions>
{
    public ValidateOptionsResult Validate(string? name, LettaOptions options)
    {
        var failures = new List<string>();
        if (options.Instances.Count == 0)
        {
            failures.Add($"No Letta instance is configured: set ConnectionStrings:{LettaOptions.ConnectionStringName} " +
                $"(Endpoint=…;Key=…) or {LettaOptions.SectionName}:Instances:<name>:Endpoint.");
        }

        foreach (var (instanceName, instance) in options.Instances)
        {
            var prefix = $"Letta instance '{instanceName}':";
            if (string.IsNullOrWhiteSpace(instanceName))
            {
                failures.Add("A Letta instance has an empty name.");
            }
            if (string.IsNullOrWhiteSpace(instance.Endpoint))
            {
                failures.Add($"{prefix} Endpoint is required.");
            }
            else if (!Uri.TryCreate(instance.Endpoint, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{prefix} Endpoint '{instance.Endpoint}' is not an absolute http(s) URI.");
            }
            if (!string.IsNullOrEmpty(instance.ApiKey) && !string.IsNullOrEmpty(instance.Password))
            {
                failures.Add($"{prefix} set either ApiKey (Letta Cloud) or Password (self-hosted), not both.");
            }
        }

        if (options.StreamStartTimeout <= TimeSpan.Zero)
        {
            failures.Add("Letta:StreamStartTimeout must be positive.");
        }
        if (options.StreamIdleTimeout <= TimeSpan.Zero)
        {
            failures.Add("Letta:StreamIdleTimeout must be positive.");
        }
        if (options.SendTimeout <= TimeSpan.Zero)
        {
            failures.Add("Letta:SendTimeout must be positive.");
        }
        var resilience = options.Resilience;
        if (resilience.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add("Letta:Resilience:MaxRetryAttempts must be between 0 and 10.");
        }
        if (resilience.AttemptTimeout <= TimeSpan.Zero || resilience.TotalTimeout < resilience.AttemptTimeout)
        {
            failures.Add("Letta:Resilience:AttemptTimeout must be positive and not longer than TotalTimeout.");
        }

        // Polly rejects these only when the first call builds the pipeline; say so at start-up instead.
        if (resilience.CircuitBreakerFailureRatio is <= 0 or > 1)
        {
            failures.Add("Letta:Resilience:CircuitBreakerFailureRatio must be above 0 and at most 1.");
        }
        if (resilience.CircuitBreakerMinimumThroughput < 2)
        {
            failures.Add("Letta:Resilience:CircuitBreakerMinimumThroughput must be at least 2.");
        }
        if (resilience.CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500) || resilience.CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add("Letta:Resilience:CircuitBreakerSamplingDuration and CircuitBreakerBreakDuration must be at least 0.5 s.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
