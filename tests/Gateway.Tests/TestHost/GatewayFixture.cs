namespace LettaPlatform.Gateway.Tests.TestHost;

/// <summary>One fake backend and one gateway (Development) shared by the tests of a class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public FakeBackend Backend { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Backend = await FakeBackend.StartAsync();
        Gateway = new GatewayHost(Backend);
        Gateway.StartServer();
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Backend.DisposeAsync();
    }
}
