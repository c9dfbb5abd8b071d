namespace LettaPlatform.AgentManagement.Api.Tests.TestHost;

/// <summary>agent-management with one LettaDev instance named <see cref="Instance"/>: the set-up most test classes share.</summary>
public abstract class SingleInstanceTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    protected const string Instance = "letta";

    protected LettaDevServer LettaDev { get; private set; } = null!;

    protected AgentManagementHost Host { get; private set; } = null!;

    protected static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    protected static string NewUser() => $"user-{Guid.NewGuid():N}";

    public async ValueTask InitializeAsync()
    {
        LettaDev = LettaDevServer.Start();
        Host = await AgentManagementHost.StartAsync(infrastructure, new Dictionary<string, Uri> { [Instance] = LettaDev.Endpoint });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await LettaDev.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
