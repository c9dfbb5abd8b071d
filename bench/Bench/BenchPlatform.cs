using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.Bench;

/// <summary>
/// The platform as the AppHost starts it (one replica each, LettaDev as Letta), with nothing logged below warnings,
/// and the gateway's per-user request limit (300 a minute by default) raised out of the way: the benchmark measures
/// the cost of a turn, not the limit.
/// </summary>
public sealed class BenchPlatform : PlatformFixture
{
    protected override IEnumerable<string> PlatformArguments() => ["--RateLimiting:PermitLimit=1000000"];
}
