using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.Gateway;

/// <summary>The per-user request budget of the API routes (section "RateLimiting").</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>The limiter policy the API routes name (<c>RateLimiterPolicy</c> in the route table).</summary>
    public const string PerUserPolicy = "per-user";

    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 300;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
