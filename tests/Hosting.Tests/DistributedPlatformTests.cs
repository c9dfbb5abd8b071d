using System.Collections.Concurrent;
using LettaPlatform.Hosting.Orchestration;
using Microsoft.Extensions.Configuration;

namespace LettaPlatform.Hosting.Tests;

public sealed class DistributedPlatformTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "lettaplatform-hosting-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Start_ResourceWaitsForAnother_StartsItOnlyAfterTheOtherIsHealthy()
    {
        var builder = CreateBuilder();
        var port = FreePort.Next();
        var api = builder.AddExecutable("api", "sh", "-c", $"sleep 1; exec {HttpServer(port)}")
            .WithHttpEndpoint("/", port);
        builder.AddExecutable("worker", "sh", "-c", "echo \"api at $services__api__http__0\"; exec sleep 600")
            .WithReference(api).WaitFor(api);
        await using var platform = builder.Build();
        var events = new ConcurrentQueue<ResourceSnapshot>();
        var lines = new ConcurrentQueue<string>();
        platform.StateChanged += events.Enqueue;
        platform.LogReceived += (resource, line) => lines.Enqueue($"{resource}: {line}");

        await platform.StartAsync(TestContext.Current.CancellationToken);

        var order = events.Select(snapshot => $"{snapshot.Name}:{snapshot.State}").ToList();
        Assert.True(order.IndexOf("api:Healthy") < order.IndexOf("worker:Starting"), string.Join(", ", order));
        await EventuallyAsync(() => lines.Contains($"worker: api at http://127.0.0.1:{port}"));
        Assert.Contains($"api at http://127.0.0.1:{port}", await File.ReadAllTextAsync(Path.Combine(data, "logs", "worker.log"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Crash_ExecutableKeepsExiting_RestartsItWithGrowingDelays()
    {
        var builder = CreateBuilder();
        builder.AddExecutable("crasher", "sh", "-c", "echo boom; exit 3");
        await using var platform = builder.Build();
        var restarts = new ConcurrentQueue<ResourceSnapshot>();
        var threeRestarts = new TaskCompletionSource();
        platform.StateChanged += snapshot =>
        {
            if (snapshot.State is ResourceState.Restarting)
            {
                restarts.Enqueue(snapshot);
                if (restarts.Count == 3)
                {
                    threeRestarts.TrySetResult();
                }
            }
        };

        _ = platform.StartAsync(TestContext.Current.CancellationToken);
        await threeRestarts.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.Equal([1, 2, 3], restarts.Take(3).Select(snapshot => snapshot.Restarts));
        Assert.Equal(
            ["exited with code 3; retry in 0.1 s", "exited with code 3; retry in 0.2 s", "exited with code 3; retry in 0.4 s"],
            restarts.Take(3).Select(snapshot => snapshot.Detail));
    }

    [Fact]
    public async Task Dispose_PlatformWithServerAndExecutable_LeavesNoProcessAndNoPort()
    {
        var builder = CreateBuilder();
        var redis = builder.AddRedis("redis");
        var port = FreePort.Next();
        var web = builder.AddExecutable("web", "sh", "-c", $"echo \"redis at $ConnectionStrings__redis\"; exec {HttpServer(port)}")
            .WithHttpEndpoint("/", port)
            .WithReference(redis).WaitFor(redis);
        var platform = builder.Build();
        var lines = new ConcurrentQueue<string>();
        platform.LogReceived += (resource, line) => lines.Enqueue($"{resource}: {line}");
        await platform.StartAsync(TestContext.Current.CancellationToken);
        var pids = new[] { redis.Resource.Server!.Process!.Id, web.Resource.Pid!.Value };
        var ports = new[] { redis.Resource.Port, port };

        await EventuallyAsync(() => lines.Contains($"web: redis at 127.0.0.1:{redis.Resource.Port}"));

        await platform.DisposeAsync();

        Assert.All(pids, pid => Assert.False(Listeners.ProcessExists(pid)));
        Assert.All(ports, port => Assert.True(FreePort.IsFree(port)));
        Assert.All(platform.Snapshots, snapshot => Assert.Equal(ResourceState.Stopped, snapshot.State));
    }

    /// <summary>A throwaway HTTP server answering 200 to everything; perl-base is part of every Debian system.</summary>
    private static string HttpServer(int port) =>
        "perl -MIO::Socket::INET -e '" +
        $"my $s = IO::Socket::INET->new(LocalAddr => \"127.0.0.1\", LocalPort => {port}, Listen => 5, ReuseAddr => 1) or die $!; " +
        "while (my $c = $s->accept) { while (<$c>) { last if /^\\r?$/ } " +
        "print $c \"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nConnection: close\\r\\n\\r\\nok\"; close $c }'";

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }

    private PlatformBuilder CreateBuilder() => new(
        new PlatformOptions
        {
            RepositoryRoot = PlatformOptions.FindRepositoryRoot(),
            DataDirectory = data,
            DurableInfrastructure = false,
            StableServerPorts = false,
            BuildProjects = false,
            FirstRestartDelay = TimeSpan.FromMilliseconds(100),
            HealthInterval = TimeSpan.FromMilliseconds(200),
        },
        new ConfigurationBuilder().Build());
}
