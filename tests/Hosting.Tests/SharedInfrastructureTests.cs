using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Npgsql;

namespace LettaPlatform.Hosting.Tests;

public sealed class SharedInfrastructureTests
{
    private static readonly string Keeper = typeof(SharedInfrastructureTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "KeeperAssembly").Value!;

    [Fact]
    public async Task Acquire_ClientsComeAndGo_SharesOneSetOfServersUntilTheLastClientIsGoneEvenIfKilled()
    {
        var state = Path.Combine(Path.GetTempPath(), "lettaplatform-hosting-tests", "shared-" + Guid.NewGuid().ToString("N"));
        var first = await SharedInfrastructure.AcquireAsync(Keeper, state, TestContext.Current.CancellationToken);
        var second = await SharedInfrastructure.AcquireAsync(Keeper, state, TestContext.Current.CancellationToken);
        var keeperPid = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(state, "state.json"), TestContext.Current.CancellationToken))
            .RootElement.GetProperty("keeperPid").GetInt32();
        var postgresPort = new NpgsqlConnectionStringBuilder(first.Endpoints.Postgres).Port;
        Assert.Equal(first.Endpoints, second.Endpoints);
        await LocalPostgresExtensions.CreateDatabaseAsync(first.Endpoints.Postgres, "shared", TestContext.Current.CancellationToken);

        // A client that will be killed rather than release its lease, like a crashed test process.
        using var doomed = Process.Start("sleep", "600");
        await File.WriteAllTextAsync(Path.Combine(state, "clients", doomed.Id.ToString()), StartTime(doomed.Id), TestContext.Current.CancellationToken);
        await first.DisposeAsync();
        await second.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken);
        Assert.True(Listeners.ProcessExists(keeperPid), "the keeper left while a client was still alive");

        doomed.Kill();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Listeners.ProcessExists(keeperPid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.False(Listeners.ProcessExists(keeperPid));
        Assert.True(FreePort.IsFree(postgresPort));
        Assert.False(File.Exists(Path.Combine(state, "state.json")));
        Assert.Empty(Directory.GetDirectories(state, "run-*"));
        Directory.Delete(state, recursive: true);
    }

    [Fact]
    public async Task Acquire_TwoLeasesInOneProcess_ReleasingOneKeepsTheServersForTheOther()
    {
        var state = Path.Combine(Path.GetTempPath(), "lettaplatform-hosting-tests", "leases-" + Guid.NewGuid().ToString("N"));
        var first = await SharedInfrastructure.AcquireAsync(Keeper, state, TestContext.Current.CancellationToken);
        await using var second = await SharedInfrastructure.AcquireAsync(Keeper, state, TestContext.Current.CancellationToken);

        await first.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        // Still served: the keeper saw the second lease of this process.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(second.Endpoints.Postgres) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.True(File.Exists(Path.Combine(state, "state.json")));
    }

    private static string StartTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
    }
}
