namespace LettaPlatform.Contracts.Diagnostics;

/// <summary>
/// A round trip over the broker from one service to another, so operators (and the end-to-end
/// tests) can prove the bus carries messages between services, not just that each one is connected.
/// Every service answers on its own queue, <c>ping-&lt;service-name&gt;</c>.
/// </summary>
public record PingService
{
    public required string From { get; init; }
    public required Guid Nonce { get; init; }
    public required DateTimeOffset SentAt { get; init; }
}

public record ServicePonged
{
    public required string Service { get; init; }
    public required string Instance { get; init; }
    public required Guid Nonce { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
}
