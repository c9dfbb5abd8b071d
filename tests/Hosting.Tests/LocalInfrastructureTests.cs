using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using LettaPlatform.TestInfrastructure;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace LettaPlatform.Hosting.Tests;

/// <summary>
/// The hosting integration as the AppHost's <c>infra</c> command uses it: PostgreSQL, Redis and RabbitMQ from
/// the Debian packages as Aspire resources, started by DCP, healthy only when they really answer, data and
/// passwords kept in the data folder across runs, nothing left running after the stop, and configured
/// connection strings in place of local servers.
/// </summary>
public sealed class LocalInfrastructureTests(InfrastructureFixture shared) : IClassFixture<InfrastructureFixture>, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly string dataDirectory = Path.Combine("/tmp", "lettaplatform-hosting-tests", Guid.NewGuid().ToString("N")[..12]);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_LocalServers_AnswerTheirProtocolsKeepDataAndLeaveNothingRunning()
    {
        string server, database, redis, messaging;
        int[] processes;
        string[] ports = [$"--Ports:postgres={FreePort.Next()}", $"--Ports:redis={FreePort.Next()}", $"--Ports:messaging={FreePort.Next()}"];
        await using (var app = await StartAsync(ports))
        {
            server = (await app.GetConnectionStringAsync("postgres", Token))!;
            await LocalPostgresExtensions.CreateDatabaseAsync(server, "appdb", Token);
            // Unpooled: a pooled connection would hold up PostgreSQL's stop and outlive the server it was opened to.
            database = new NpgsqlConnectionStringBuilder(server) { Database = "appdb", Pooling = false }.ConnectionString;
            redis = (await app.GetConnectionStringAsync("redis", Token))!;
            messaging = (await app.GetConnectionStringAsync("messaging", Token))!;
            processes = await Task.WhenAll(new[] { "postgres", "redis", "messaging", "messaging-epmd" }.Select(name => ProcessIdAsync(app, name)));

            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync(Token);
                await using var create = new NpgsqlCommand("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('across runs')", connection);
                await create.ExecuteNonQueryAsync(Token);
            }

            await using (var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis))
            {
                await multiplexer.GetDatabase().StringSetAsync("kept", "across runs");
            }

            var amqp = new ConnectionFactory { Uri = new Uri(messaging) };
            await using (var connection = await amqp.CreateConnectionAsync(Token))
            {
                Assert.True(connection.IsOpen);
            }

            // Loopback only.
            Assert.All(await Listeners.ForPortAsync(new NpgsqlConnectionStringBuilder(database).Port), address => Assert.Equal("127.0.0.1", address));
            Assert.All(await Listeners.ForPortAsync(new Uri(messaging).Port), address => Assert.Equal("127.0.0.1", address));
            await app.StopAsync(Token);
        }

        Assert.All(processes, pid => Assert.False(Listeners.ProcessExists(pid), $"process {pid} outlived the AppHost"));

        await using (var again = await StartAsync(ports))
        {
            // Same port and the password kept in the data folder.
            Assert.Equal(server, await again.GetConnectionStringAsync("postgres", Token));
            Assert.Equal(messaging, await again.GetConnectionStringAsync("messaging", Token));
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync(Token);
                await using var read = new NpgsqlCommand("SELECT value FROM kept", connection);
                Assert.Equal("across runs", await read.ExecuteScalarAsync(Token));
            }

            await using var multiplexer = await ConnectionMultiplexer.ConnectAsync((await again.GetConnectionStringAsync("redis", Token))!);
            Assert.Equal("across runs", (string?)await multiplexer.GetDatabase().StringGetAsync("kept"));
            await again.StopAsync(Token);
        }
    }

    [Fact]
    public async Task Start_ConfiguredConnectionStrings_UseThoseServersAndStartNone()
    {
        var configured = new NpgsqlConnectionStringBuilder(shared.PostgresConnectionString("postgres")) { Database = null }.ConnectionString;
        await using var app = await StartAsync(
            $"--ConnectionStrings:postgres={configured}",
            $"--ConnectionStrings:redis={shared.RedisConnectionString}",
            $"--ConnectionStrings:messaging={shared.RabbitMqConnectionString}");

        Assert.Equal(shared.RedisConnectionString, await app.GetConnectionStringAsync("redis", Token));
        Assert.Equal(shared.RabbitMqConnectionString, await app.GetConnectionStringAsync("messaging", Token));
        Assert.Equal(configured, await app.GetConnectionStringAsync("postgres", Token));

        Assert.False(Directory.Exists(Path.Combine(dataDirectory, "postgres", "data")));
        Assert.DoesNotContain(app.Services.GetRequiredService<DistributedApplicationModel>().Resources, resource => resource.Name == "messaging-epmd");
        await app.StopAsync(Token);
    }

    public void Dispose()
    {
        if (Directory.Exists(dataDirectory))
        {
            // Folders owned by the servers' accounts; root removes them.
            Process.Start("rm", ["-rf", dataDirectory])!.WaitForExit();
        }
    }

    /// <summary>The AppHost's <c>infra</c> command (the servers alone), under Aspire.Hosting.Testing, in this test's data folder.</summary>
    private async Task<DistributedApplication> StartAsync(params string[] arguments)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["infra", $"--DataDirectory={dataDirectory}", "--LocalInfrastructure:Durable=true", "--Logging:LogLevel:Default=Warning", .. arguments], Token);
        var app = await builder.BuildAsync(Token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(StartTimeout);
        await app.StartAsync(timeout.Token);
        foreach (var name in new[] { "postgres", "redis", "messaging" })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }

        return app;
    }

    private static async Task<int> ProcessIdAsync(DistributedApplication app, string name)
    {
        var running = await app.ResourceNotifications.WaitForResourceAsync(name, update => Pid(update) is not null, Token);
        return Convert.ToInt32(Pid(running), System.Globalization.CultureInfo.InvariantCulture);

        static object? Pid(ResourceEvent update) => update.Snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value;
    }
}
