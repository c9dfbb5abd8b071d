namespace LettaPlatform.Letta;

/// <summary>
/// The Letta instances the process talks to, bound from the <c>Letta</c> configuration section
/// (<c>Letta:Instances:&lt;name&gt;:{Endpoint,ApiKey,Password,Project}</c>) and from
/// <c>ConnectionStrings:letta</c>, which becomes the instance named <c>letta</c>.
/// </summary>
public sealed class LettaOptions
{
    public const string SectionName = "Letta";
    public const string ConnectionStringName = "letta";

    public Dictionary<string, LettaInstanceOptions> Instances { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How long a streaming call may wait for Letta to start answering (the response headers). A Letta
    /// that accepts connections but hangs would otherwise hold a turn, and its session, indefinitely.
    /// Once the stream has started only <see cref="StreamIdleTimeout"/> applies.
    /// </summary>
    public TimeSpan StreamStartTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A stream that delivers no bytes (not even a ping) for this long is treated as stalled.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Upper bound for a non-streaming message send, which runs a whole agent turn.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public LettaResilienceOptions Resilience { get; set; } = new();
}

public sealed class LettaInstanceOptions
{
    public string? Endpoint { get; set; }

    /// <summary>Letta Cloud API key, sent as a bearer token.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Self-hosted server password (<c>LETTA_SERVER_PASSWORD</c>), sent as a bearer token.</summary>
    public string? Password { get; set; }

    /// <summary>Letta Cloud project slug, sent as <c>X-Project</c>.</summary>
    public string? Project { get; set; }

    internal string? BearerToken => string.IsNullOrEmpty(ApiKey) ? Password : ApiKey;

    // Keys must never reach a log through an accidental ToString().
    public override string ToString() => $"Endpoint={Endpoint}; Project={Project}";
}

public sealed class LettaResilienceOptions
{
    public int MaxRetryAttempts { get; set; } = 3;
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Per-attempt timeout of ordinary (non-streaming, non-send) calls.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound of an ordinary call including all its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public double CircuitBreakerFailureRatio { get; set; } = 0.5;
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long calls fail fast once the breaker opened; a Letta that came back is used again at most this late.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
