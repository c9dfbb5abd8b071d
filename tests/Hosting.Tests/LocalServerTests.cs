using Npgsql;

namespace LettaPlatform.Hosting.Tests;

public sealed class LocalServerTests : IAsyncLifetime
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "lettaplatform-hosting-tests", Guid.NewGuid().ToString("N"));
    private InfrastructureBinaries binaries = null!;

    public async ValueTask InitializeAsync() => binaries = await InfrastructureBinaries.LocateAsync();

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Postgres_Started_AcceptsQueriesOnLoopbackOnlyAndStopsCleanly()
    {
        var server = new PostgresServer(binaries, Settings("postgres"));
        await server.StartAsync(TestContext.Current.CancellationToken);
        var pid = server.Process!.Id;

        await using (var connection = new NpgsqlConnection(server.ConnectionStringFor("postgres")))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand("SHOW listen_addresses", connection);
            Assert.Equal("127.0.0.1", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal(["127.0.0.1"], await Listeners.ForPortAsync(server.Port));

        await server.StopAsync();

        Assert.False(Listeners.ProcessExists(pid));
        Assert.Empty(await Listeners.ForPortAsync(server.Port));
    }

    [Fact]
    public async Task CreateDatabase_CalledTwiceAndConcurrently_CreatesOneDatabase()
    {
        await using var server = new PostgresServer(binaries, Settings("postgres"));
        await server.StartAsync(TestContext.Current.CancellationToken);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.CreateDatabaseAsync("chatdb", TestContext.Current.CancellationToken)));
        await server.CreateDatabaseAsync("chatdb", TestContext.Current.CancellationToken);

        await using var connection = new NpgsqlConnection(server.ConnectionStringFor("chatdb"));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = 'chatdb'", connection);
        Assert.Equal(1L, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Postgres_RestartedOnSameFolder_KeepsDataAndPassword()
    {
        var settings = Settings("postgres") with { Durable = true };
        await using (var first = new PostgresServer(binaries, settings))
        {
            await first.StartAsync(TestContext.Current.CancellationToken);
            await first.CreateDatabaseAsync("kept", TestContext.Current.CancellationToken);
        }

        await using var second = new PostgresServer(binaries, settings);
        await second.StartAsync(TestContext.Current.CancellationToken);
        await using var connection = new NpgsqlConnection(second.ConnectionStringFor("kept"));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }

    [Fact]
    public async Task Redis_Started_AnswersPingOnLoopbackOnlyAndStopsCleanly()
    {
        var server = new RedisServer(binaries, Settings("redis"));
        await server.StartAsync(TestContext.Current.CancellationToken);
        var pid = server.Process!.Id;

        Assert.True(await server.IsHealthyAsync(TestContext.Current.CancellationToken));
        Assert.Equal($"127.0.0.1:{server.Port}", server.ConnectionString);
        Assert.Equal(["127.0.0.1"], await Listeners.ForPortAsync(server.Port));

        await server.StopAsync();

        Assert.False(Listeners.ProcessExists(pid));
        Assert.Empty(await Listeners.ForPortAsync(server.Port));
    }

    [Fact]
    public async Task RabbitMq_Started_AnswersAmqpAndBindsEveryListenerToLoopback()
    {
        var server = new RabbitMqServer(binaries, Settings("rabbitmq"));
        await server.StartAsync(TestContext.Current.CancellationToken);
        var pid = server.Process!.Id;
        var ports = new[] { server.Port, server.EpmdPort, server.DistributionPort };

        var ping = await server.RunCliAsync(binaries.RabbitMqDiagnostics, ["-q", "ping"], TimeSpan.FromSeconds(60));
        Assert.True(ping.Succeeded, ping.Output);
        Assert.StartsWith($"amqp://{RabbitMqServer.UserName}:", server.ConnectionString);
        foreach (var port in ports)
        {
            // epmd always adds the IPv6 loopback next to the address it is given: still loopback only.
            var addresses = await Listeners.ForPortAsync(port);
            Assert.Contains("127.0.0.1", addresses);
            Assert.All(addresses, address => Assert.Contains(address, new[] { "127.0.0.1", "[::1]" }));
        }

        await server.StopAsync();

        Assert.False(Listeners.ProcessExists(pid));
        foreach (var port in ports)
        {
            Assert.Empty(await Listeners.ForPortAsync(port));
        }
    }

    [Fact]
    public async Task Start_PortAlreadyTaken_FailsNamingThePort()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        await using var server = new RedisServer(binaries, new ServerSettings(Path.Combine(root, "redis"), port));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(port.ToString(), error.Message);
    }

    private ServerSettings Settings(string name) => new(Path.Combine(root, name), FreePort.Next());
}
