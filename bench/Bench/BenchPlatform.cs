using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.Bench;

/// <summary>The platform as the AppHost starts it (one replica each, LettaDev as Letta), with nothing logged below warnings.</summary>
public sealed class BenchPlatform : PlatformFixture;
