using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace LettaPlatform.Hosting;

/// <summary>
/// A RabbitMQ node with its own epmd, both bound to 127.0.0.1, with all its files (database,
/// logs, config, Erlang cookie) in its own folder. Node name and ports are unique per AMQP port,
/// so several nodes and the Debian system instance never meet.
/// </summary>
public sealed class RabbitMqServer(InfrastructureBinaries binaries, ServerSettings settings)
    : LocalServer(binaries, settings)
{
    public const string UserName = "lettaplatform";

    private static readonly byte[] AmqpProtocolHeader = "AMQP\0\0\u0009\u0001"u8.ToArray();
    private string? password;
    private ChildProcess? epmd;

    public override string Name => "messaging";

    public string Password => password ??= ReadOrCreateSecret("password");

    public override string ConnectionString => $"amqp://{UserName}:{Password}@127.0.0.1:{Port}";

    public string NodeName => $"rabbit-{Port}@localhost";

    public int EpmdPort { get; private set; }

    public int DistributionPort { get; private set; }

    private string? User => ServiceAccount.For("rabbitmq");

    private string ConfigDirectory => Path.Combine(Settings.Directory, "config");

    private string HomeDirectory => Path.Combine(Settings.Directory, "home");

    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        // RabbitMQ opens its AMQP listener last in its boot, and only a booted broker answers the
        // protocol header with Connection.Start (frame type 1, channel 0, class 10, method 10).
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(AmqpProtocolHeader, timeout.Token).ConfigureAwait(false);
            var frame = new byte[11];
            await stream.ReadExactlyAsync(frame, timeout.Token).ConfigureAwait(false);
            return frame is [1, 0, 0, _, _, _, _, 0, 10, 0, 10];
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Runs a rabbitmqctl / rabbitmq-diagnostics command against this node.</summary>
    public Task<CommandResult> RunCliAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout) =>
        CommandRunner.RunAsync(
            new ProcessSpec(tool, ["-n", NodeName, .. arguments]) { User = User, Environment = NodeEnvironment(), WorkingDirectory = Settings.Directory },
            timeout);

    protected override async Task<ChildProcess> LaunchAsync(CancellationToken cancellationToken)
    {
        _ = Password;
        EpmdPort = FreePort.Next();
        DistributionPort = FreePort.Next();
        var mnesia = Path.Combine(Settings.Directory, "mnesia");
        var logs = Path.Combine(Settings.Directory, "log");
        Directory.CreateDirectory(ConfigDirectory);
        Directory.CreateDirectory(HomeDirectory);
        await File.WriteAllTextAsync(Path.Combine(ConfigDirectory, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{Port}
            default_user = {UserName}
            default_pass = {Password}
            default_vhost = /
            loopback_users = none
            log.console = true
            log.console.level = info
            log.file = false
            """, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(ConfigDirectory, "enabled_plugins"), "[].\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(ConfigDirectory, "rabbitmq-env.conf"), "", cancellationToken).ConfigureAwait(false);
        var cookie = Path.Combine(HomeDirectory, ".erlang.cookie");
        if (!File.Exists(cookie))
        {
            await File.WriteAllTextAsync(cookie, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), cancellationToken).ConfigureAwait(false);
        }

        if (!OperatingSystem.IsWindows())
        {
            // Erlang refuses a cookie that others can read.
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        }

        await ServiceAccount.PrepareFoldersAsync(User, Settings.Directory, mnesia, logs).ConfigureAwait(false);

        epmd = await StartChildAsync(new ProcessSpec(Binaries.Epmd, ["-port", EpmdPort.ToString(), "-address", "127.0.0.1"])
        {
            User = User,
            Environment = NodeEnvironment(),
        }).ConfigureAwait(false);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await FreePort.AcceptsConnectionsAsync(EpmdPort, cancellationToken).ConfigureAwait(false))
        {
            if (epmd.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"epmd did not start on port {EpmdPort}.");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return await StartChildAsync(new ProcessSpec(Binaries.RabbitMqServer, [])
        {
            User = User,
            Environment = NodeEnvironment(),
        }).ConfigureAwait(false);
    }

    protected override async Task RequestStopAsync(ChildProcess process)
    {
        var stop = await RunCliAsync(Binaries.RabbitMqCtl, ["stop"], TimeSpan.FromSeconds(40)).ConfigureAwait(false);
        if (!stop.Succeeded)
        {
            // RabbitMQ treats SIGTERM as a request to stop gracefully.
            process.Signal(15);
        }
    }

    protected override async Task AfterStopAsync()
    {
        if (epmd is not null)
        {
            await epmd.StopAsync(15, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            await epmd.DisposeAsync().ConfigureAwait(false);
            epmd = null;
        }
    }

    private Dictionary<string, string?> NodeEnvironment()
    {
        var loopbackOnly = "-kernel inet_dist_use_interface {127,0,0,1}";
        return new()
        {
            ["HOME"] = HomeDirectory,
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(),
            ["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(Settings.Directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(Settings.Directory, "log"),
            ["RABBITMQ_LOGS"] = "-",
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(ConfigDirectory, "rabbitmq.conf"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(ConfigDirectory, "advanced.config"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(ConfigDirectory, "enabled_plugins"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(ConfigDirectory, "rabbitmq-env.conf"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(Settings.Directory, "rabbitmq.pid"),
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = loopbackOnly,
            ["RABBITMQ_CTL_ERL_ARGS"] = loopbackOnly,
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["ERL_EPMD_PORT"] = EpmdPort.ToString(),
            // The start script otherwise runs the VM as a background job of a shell that proxies
            // signals; in "systemd" mode it execs the VM, so the parent-death signal reaches it.
            ["RUNNING_UNDER_SYSTEMD"] = "true",
            ["NOTIFY_SOCKET"] = null,
        };
    }
}
