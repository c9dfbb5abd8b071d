namespace LettaPlatform.ServiceDefaults.Tests.TestHost;

public record OrderPlaced
{
    public required Guid OrderId { get; init; }
    public required string Item { get; init; }
}

public record AccountCredited
{
    public required Guid AccountId { get; init; }
    public required decimal Amount { get; init; }
}
