namespace LettaPlatform.AgentManagement.Api.Tests.TestHost;

/// <summary>
/// agent-management with one LettaDev instance named <see cref="Instance"/>: the set-up most test classes share.
/// Each test gets its own host and database, but the LettaDev process is shared by the class: starting one
/// costs about as much as a test, and tests only ever look at their own users' agents in it.
/// </summary>
public abstract class SingleInstanceTests(InfrastructureFixture infrastructure, LettaDevServer lettaDev) : IClassFixture<LettaDevServer>, IAsyncLifetime
{
    protected const string Instance = "letta";

    protected LettaDevServer LettaDev { get; } = lettaDev;

    protected InfrastructureFixture Infrastructure { get; } = infrastructure;

    protected AgentManagementHost Host { get; private set; } = null!;

    protected static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    protected static string NewUser() => $"user-{Guid.NewGuid():N}";

    public async ValueTask InitializeAsync() =>
        Host = await AgentManagementHost.StartAsync(Infrastructure, new Dictionary<string, Uri> { [Instance] = LettaDev.Endpoint });

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
