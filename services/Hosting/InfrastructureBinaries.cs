namespace LettaPlatform.Hosting;

/// <summary>Where the PostgreSQL, Redis and RabbitMQ programs of this machine are.</summary>
public sealed record InfrastructureBinaries(
    string PostgresBin,
    string RedisServer,
    string RabbitMqServer,
    string RabbitMqCtl,
    string RabbitMqDiagnostics,
    string Epmd)
{
    public const string InstallCommand =
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql redis-server rabbitmq-server";

    public static string MissingMessage =>
        $"PostgreSQL, Redis or RabbitMQ is not installed. Install them once as root: sudo sh -c '{InstallCommand}'";

    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public string Initdb => Path.Combine(PostgresBin, "initdb");

    public string PgCtl => Path.Combine(PostgresBin, "pg_ctl");

    public string Postgres => Path.Combine(PostgresBin, "postgres");

    /// <summary>Finds the programs; installs the Debian packages first when some are missing and this process is root.</summary>
    public static async Task<InfrastructureBinaries> LocateAsync(Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        if (TryLocate() is { } found)
        {
            return found;
        }

        if (!ServiceAccount.IsRoot)
        {
            throw new InvalidOperationException(MissingMessage);
        }

        await InstallGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another process (a parallel test assembly) may hold apt: a lock file serialises us.
            Directory.CreateDirectory("/tmp/lettaplatform-tests");
            await using var aptLock = await FileLock.AcquireAsync("/tmp/lettaplatform-tests/apt.lock", TimeSpan.FromMinutes(15), cancellationToken).ConfigureAwait(false);
            if (TryLocate() is { } installedMeanwhile)
            {
                return installedMeanwhile;
            }

            log?.Invoke($"Installing PostgreSQL, Redis and RabbitMQ: {InstallCommand}");
            var environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            await CommandRunner.RunCheckedAsync(
                new ProcessSpec("apt-get", ["update"]) { Environment = environment, DieWithOwner = false },
                TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
            await CommandRunner.RunCheckedAsync(
                new ProcessSpec("apt-get", ["install", "-y", "postgresql", "redis-server", "rabbitmq-server"]) { Environment = environment, DieWithOwner = false },
                TimeSpan.FromMinutes(15), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            InstallGate.Release();
        }

        return TryLocate() ?? throw new InvalidOperationException(
            $"The packages were installed but the programs are still missing; check the output of: {InstallCommand}");
    }

    public static InfrastructureBinaries? TryLocate()
    {
        var postgresBin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(directory => Path.Combine(directory, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;
        postgresBin ??= ChildProcess.Which("initdb") is { } initdb && ChildProcess.Which("postgres") is not null && ChildProcess.Which("pg_ctl") is not null
            ? Path.GetDirectoryName(initdb)
            : null;

        // The Debian wrappers in /usr/sbin insist on running from /var/lib/rabbitmq as user rabbitmq;
        // the scripts behind them take their settings from the environment, which is what we need.
        var rabbitBin = Directory.Exists("/usr/lib/rabbitmq/bin") ? "/usr/lib/rabbitmq/bin" : null;
        string? Rabbit(string name) => rabbitBin is not null && File.Exists(Path.Combine(rabbitBin, name))
            ? Path.Combine(rabbitBin, name)
            : ChildProcess.Which(name);

        var redis = ChildProcess.Which("redis-server");
        var rabbitServer = Rabbit("rabbitmq-server");
        var rabbitCtl = Rabbit("rabbitmqctl");
        var rabbitDiagnostics = Rabbit("rabbitmq-diagnostics");
        var epmd = ChildProcess.Which("epmd") ?? FindErlangEpmd();
        return postgresBin is null || redis is null || rabbitServer is null || rabbitCtl is null || rabbitDiagnostics is null || epmd is null
            ? null
            : new InfrastructureBinaries(postgresBin, redis, rabbitServer, rabbitCtl, rabbitDiagnostics, epmd);
    }

    private static string? FindErlangEpmd() =>
        Directory.Exists("/usr/lib/erlang")
            ? Directory.EnumerateFiles("/usr/lib/erlang", "epmd", SearchOption.AllDirectories).FirstOrDefault()
            : null;
}
