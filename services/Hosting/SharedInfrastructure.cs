using System.Diagnostics;
using System.Text.Json;

namespace LettaPlatform.Hosting;

/// <summary>Connection strings of a running set of servers. <see cref="Postgres"/> names no database.</summary>
public sealed record InfrastructureEndpoints(string Postgres, string Redis, string Messaging);

/// <summary>Servers a keeper started, and how to stop them.</summary>
public sealed record RunningInfrastructure(InfrastructureEndpoints Endpoints, IAsyncDisposable Servers);

/// <summary>
/// PostgreSQL, Redis and RabbitMQ shared by every process of a test run (dotnet test runs test
/// assemblies as parallel processes). The first client starts a detached keeper process, which
/// starts the servers on free ports and writes their connection strings to a state file; later
/// clients register and reuse them. The keeper stops the servers and exits once no registered
/// client process has been alive for a few seconds, so nothing outlives the run, even when a test
/// process is killed.
/// </summary>
public static class SharedInfrastructure
{
    public const string DefaultStateDirectory = "/tmp/lettaplatform-infra";

    private static readonly TimeSpan IdleGrace = TimeSpan.FromSeconds(3);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Joins the running servers, or starts them with <c>dotnet &lt;keeperAssembly&gt; infra --keeper &lt;state&gt;</c>.
    /// Dispose the lease when done; the servers stop after the last lease (or its process) is gone.
    /// </summary>
    public static async Task<SharedInfrastructureLease> AcquireAsync(
        string keeperAssembly, string stateDirectory = DefaultStateDirectory, CancellationToken cancellationToken = default)
    {
        var paths = new StatePaths(stateDirectory);
        Directory.CreateDirectory(paths.Clients);
        // Generous: the first client may be waiting for the keeper to install the Debian packages.
        await using var stateLock = await FileLock.AcquireAsync(paths.Lock, TimeSpan.FromMinutes(25), cancellationToken).ConfigureAwait(false);
        // One registration per lease (<pid>-<lease>): two fixtures of one process come and go independently.
        var client = Path.Combine(paths.Clients, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(client, ProcessIdentity.StartTime(Environment.ProcessId), cancellationToken).ConfigureAwait(false);
        try
        {
            if (ReadState(paths) is { } running && ProcessIdentity.IsAlive(running.KeeperPid, running.KeeperStartTime))
            {
                return new SharedInfrastructureLease(running.Endpoints, client);
            }

            File.Delete(paths.State);
            var keeperPid = StartKeeper(keeperAssembly, paths);
            var deadline = DateTime.UtcNow.AddMinutes(20);
            while (true)
            {
                if (ReadState(paths) is { } started && started.KeeperPid == keeperPid)
                {
                    return new SharedInfrastructureLease(started.Endpoints, client);
                }

                if (!ProcessIdentity.IsAlive(keeperPid, null) || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException(
                        $"The test infrastructure keeper did not start PostgreSQL, Redis and RabbitMQ. Its log ({paths.Log}) ends with:{Environment.NewLine}{Tail(paths.Log)}");
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            File.Delete(client);
            throw;
        }
    }

    /// <summary>
    /// The keeper: starts the servers with <paramref name="start"/> (given a fresh data folder), publishes
    /// their connection strings, and stops them when no client is left.
    /// </summary>
    public static async Task RunKeeperAsync(
        string stateDirectory, Func<string, CancellationToken, Task<RunningInfrastructure>> start, Action<string> log, CancellationToken cancellationToken = default)
    {
        var paths = new StatePaths(stateDirectory);
        var data = Path.Combine(stateDirectory, $"run-{Environment.ProcessId}");
        var started = Stopwatch.StartNew();
        var running = await start(data, cancellationToken).ConfigureAwait(false);
        try
        {
            log($"all servers ready in {started.ElapsedMilliseconds} ms");
            var state = new KeeperState(Environment.ProcessId, ProcessIdentity.StartTime(Environment.ProcessId), running.Endpoints);
            var temporary = paths.State + ".tmp";
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(state, Json), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, paths.State, overwrite: true);

            await WaitUntilIdleAsync(paths, cancellationToken).ConfigureAwait(false);
            log("no client left: stopping");
        }
        finally
        {
            if (ReadState(paths)?.KeeperPid == Environment.ProcessId)
            {
                File.Delete(paths.State);
            }

            await running.Servers.DisposeAsync().ConfigureAwait(false);
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task WaitUntilIdleAsync(StatePaths paths, CancellationToken cancellationToken)
    {
        var idleSince = (DateTime?)null;
        while (true)
        {
            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            if (LiveClients(paths) > 0)
            {
                idleSince = null;
                continue;
            }

            idleSince ??= DateTime.UtcNow;
            if (DateTime.UtcNow - idleSince < IdleGrace)
            {
                continue;
            }

            // Decide under the lock, so no client can register between our last look and our leaving.
            await using var stateLock = await FileLock.AcquireAsync(paths.Lock, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
            if (LiveClients(paths) == 0)
            {
                File.Delete(paths.State);
                return;
            }
        }
    }

    private static int LiveClients(StatePaths paths)
    {
        var alive = 0;
        foreach (var file in Directory.GetFiles(paths.Clients))
        {
            string? startTime;
            try
            {
                startTime = File.ReadAllText(file);
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            if (int.TryParse(Path.GetFileName(file).Split('-')[0], out var pid) && ProcessIdentity.IsAlive(pid, startTime))
            {
                alive++;
            }
            else
            {
                File.Delete(file);
            }
        }

        return alive;
    }

    private static int StartKeeper(string keeperAssembly, StatePaths paths)
    {
        if (!File.Exists(keeperAssembly))
        {
            throw new FileNotFoundException($"The AppHost, which keeps the test servers, is not built: {keeperAssembly}. Build the solution first.", keeperAssembly);
        }

        // A new session and no inherited output: the keeper must outlive the process that starts it
        // and must not hold the test runner's output pipes open.
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            ArgumentList =
            {
                "-c",
                "exec setsid dotnet \"$0\" infra --keeper \"$1\" >\"$2\" 2>&1 </dev/null",
                keeperAssembly,
                paths.Directory,
                paths.Log,
            },
        };
        using var keeper = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the test infrastructure keeper.");
        return keeper.Id;
    }

    private static KeeperState? ReadState(StatePaths paths)
    {
        try
        {
            return JsonSerializer.Deserialize<KeeperState>(File.ReadAllText(paths.State), Json);
        }
        catch (Exception exception) when (exception is FileNotFoundException or JsonException or IOException)
        {
            return null;
        }
    }

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join(Environment.NewLine, File.ReadLines(path).TakeLast(30)) : "(no log)";

    private sealed record KeeperState(int KeeperPid, string KeeperStartTime, InfrastructureEndpoints Endpoints);

    private sealed record StatePaths(string Directory)
    {
        public string Lock => Path.Combine(Directory, "lock");

        public string State => Path.Combine(Directory, "state.json");

        public string Clients => Path.Combine(Directory, "clients");

        public string Log => Path.Combine(Directory, "keeper.log");
    }
}

/// <summary>A test process's registration with the shared servers.</summary>
public sealed class SharedInfrastructureLease(InfrastructureEndpoints endpoints, string registration) : IAsyncDisposable
{
    public InfrastructureEndpoints Endpoints { get; } = endpoints;

    public ValueTask DisposeAsync()
    {
        File.Delete(registration);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A pid plus its start time identifies a process even after the pid is reused.</summary>
internal static class ProcessIdentity
{
    public static string StartTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may contain spaces) start at its closing parenthesis;
        // the start time is field 22 of the line, the 20th after the name.
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
    }

    public static bool IsAlive(int pid, string? startTime)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] != "Z" && (startTime is null || fields[19] == startTime);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }
}
