namespace LettaPlatform.MemorySync.Api.Tests.TestHost;

/// <summary>
/// The memory-sync host most tests share, with two LettaDev servers: <c>letta</c>, and <c>flaky</c> for the
/// tests that take Letta down (so an outage there never disturbs the others). Tests isolate themselves by
/// their own agents and users.
/// </summary>
public sealed class MemorySyncFixture(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    public const int SnapshotRetention = 3;

    public LettaDevServer Letta { get; private set; } = null!;

    public LettaDevServer Flaky { get; private set; } = null!;

    public MemorySyncHost Host { get; private set; } = null!;

    public AgentManagementResponder AgentManagement { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Letta = await LettaDevServer.StartAsync();
        Flaky = await LettaDevServer.StartAsync();
        Host = await MemorySyncHost.StartAsync(infrastructure, "shared", new Dictionary<string, LettaDevServer>
        {
            ["letta"] = Letta,
            ["flaky"] = Flaky,
        }, new Dictionary<string, string?> { ["MemorySync:SnapshotRetention"] = SnapshotRetention.ToString() });
        AgentManagement = await AgentManagementResponder.ConnectAsync(Host);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in new IAsyncDisposable?[] { AgentManagement, Host, Letta, Flaky })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}

/// <summary>The test classes that share <see cref="MemorySyncFixture"/>'s host.</summary>
[CollectionDefinition(Name)]
public sealed class MemorySyncCollection : ICollectionFixture<MemorySyncFixture>
{
    public const string Name = "memory-sync";
}
