using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>
/// The platform every end-to-end test runs against: two replicas of each service, as a platform team
/// scales them (<c>--Replicas:&lt;service&gt;=2</c>), so every flow is proven with its requests, messages,
/// outbox relays and background workers spread over two instances.
/// </summary>
public sealed class EndToEndPlatform : PlatformFixture
{
    public static readonly string[] Services = ["chat-api", "agent-management-api", "tool-execution-api", "memory-sync-api"];

    protected override IEnumerable<string> PlatformArguments() => Services.Select(service => $"--Replicas:{service}=2");
}
