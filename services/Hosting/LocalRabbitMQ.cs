using System.Net.Sockets;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace LettaPlatform.Hosting;

/// <summary>
/// A RabbitMQ node from this machine's installation, bound to 127.0.0.1, with its own epmd (a resource of
/// its own, so nothing outlives the AppHost) and all its files — database, config, Erlang cookie — in the
/// data folder. Node name and ports are its own, so the Debian system instance never meets it.
/// </summary>
public sealed class LocalRabbitMQResource(string name, string command, string directory, int port, string password)
    : ExecutableResource(name, command, directory), IResourceWithConnectionString
{
    public const string UserName = "lettaplatform";

    public int Port { get; } = port;

    public string NodeName => $"rabbit-{Port}@localhost";

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://{UserName}:{password}@127.0.0.1:{Port.ToString()}");

    internal string Password => password;

    internal string ConfigDirectory => Path.Combine(WorkingDirectory, "config");

    internal string HomeDirectory => Path.Combine(WorkingDirectory, "home");
}

/// <summary>The Erlang port mapper the RabbitMQ node registers with.</summary>
public sealed class EpmdResource(string name, string command, string directory, int port)
    : ExecutableResource(name, command, directory)
{
    public int Port { get; } = port;
}

public static class LocalRabbitMQExtensions
{
    private const int StablePort = 56720;

    /// <summary>
    /// RabbitMQ named <paramref name="name"/>: the broker of <c>ConnectionStrings:&lt;name&gt;</c> when one is
    /// configured, otherwise a local node on <c>Ports:&lt;name&gt;</c> (56720) with <c>&lt;name&gt;-epmd</c> beside it.
    /// Healthy once an AMQP login succeeds; the check keeps its one connection open, so the broker does not
    /// log a closed connection on every probe.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddLocalRabbitMQ(this IDistributedApplicationBuilder builder, string name)
    {
        var check = $"{name}-amqp";
        if (ExternalServer.Configured(builder, name) is { } external)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(check, new AmqpHealthCheck(external), null, null));
            return ExternalServer.Add(builder, new ExternalServerResource(name, external), check);
        }

        var port = builder.PortFor(name, StablePort);
        var directory = Path.Combine(builder.DataDirectory(), name);
        var distributionPort = FreePort.Next();
        var epmd = new EpmdResource($"{name}-epmd", LocalInfrastructure.Command("rabbitmq", b => b.Epmd, "epmd"), directory, FreePort.Next());
        var rabbit = new LocalRabbitMQResource(
            name, LocalInfrastructure.Command("rabbitmq", b => b.RabbitMqServer, "rabbitmq-server"), directory, port, builder.Secret(Path.Combine(name, "password")));

        var epmdCheck = $"{epmd.Name}-tcp";
        builder.Services.AddHealthChecks().AddAsyncCheck(epmdCheck, async cancellationToken =>
            await AnswersNamesRequestAsync(epmd.Port, cancellationToken).ConfigureAwait(false)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("epmd does not answer yet."));
        var epmdBuilder = LocalInfrastructure.AddServer(builder, epmd, "rabbitmq", b => b.Epmd)
            .WithArgs("-port", epmd.Port.ToString(), "-address", "127.0.0.1")
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1")
            .WithEnvironment("HOME", rabbit.HomeDirectory)
            .WithHealthCheck(epmdCheck)
            .WithParentRelationship(rabbit);

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(check, new AmqpHealthCheck($"amqp://{LocalRabbitMQResource.UserName}:{rabbit.Password}@127.0.0.1:{port}"), null, null));
        var loopbackOnly = "-kernel inet_dist_use_interface {127,0,0,1}";
        return LocalInfrastructure.AddServer(builder, rabbit, "rabbitmq", b => b.RabbitMqServer, (_, _, _, cancellationToken) => WriteConfigurationAsync(rabbit, cancellationToken))
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithEnvironment(environment =>
            {
                var variables = environment.EnvironmentVariables;
                variables["HOME"] = rabbit.HomeDirectory;
                variables["RABBITMQ_NODENAME"] = rabbit.NodeName;
                variables["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
                variables["RABBITMQ_NODE_PORT"] = port.ToString();
                variables["RABBITMQ_DIST_PORT"] = distributionPort.ToString();
                variables["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia");
                variables["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log");
                variables["RABBITMQ_LOGS"] = "-";
                variables["RABBITMQ_CONFIG_FILE"] = Path.Combine(rabbit.ConfigDirectory, "rabbitmq.conf");
                variables["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(rabbit.ConfigDirectory, "advanced.config");
                variables["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(rabbit.ConfigDirectory, "enabled_plugins");
                variables["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(rabbit.ConfigDirectory, "rabbitmq-env.conf");
                variables["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid");
                // epmd is a resource of its own: the node must not spawn one that would outlive the AppHost.
                variables["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = $"{loopbackOnly} -start_epmd false";
                variables["RABBITMQ_CTL_ERL_ARGS"] = loopbackOnly;
                variables["ERL_EPMD_ADDRESS"] = "127.0.0.1";
                variables["ERL_EPMD_PORT"] = epmd.Port.ToString();
                // Otherwise the start script runs the VM as a background job of a shell; in "systemd" mode it execs the VM.
                variables["RUNNING_UNDER_SYSTEMD"] = "true";
            })
            .WaitFor(epmdBuilder)
            .WithIconName("Mailbox")
            .WithHealthCheck(check);
    }

    /// <summary>
    /// A NAMES_REQ (length 1, byte 'n') answered with epmd's own port: a real exchange, so epmd does not
    /// log a half-open connection on every probe as it does for a bare connect.
    /// </summary>
    private static async Task<bool> AnswersNamesRequestAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(new byte[] { 0, 1, (byte)'n' }, timeout.Token).ConfigureAwait(false);
            var answer = new byte[4];
            await stream.ReadExactlyAsync(answer, timeout.Token).ConfigureAwait(false);
            return (answer[2] << 8 | answer[3]) == port;
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task WriteConfigurationAsync(LocalRabbitMQResource rabbit, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(rabbit.ConfigDirectory);
        Directory.CreateDirectory(rabbit.HomeDirectory);
        await File.WriteAllTextAsync(Path.Combine(rabbit.ConfigDirectory, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{rabbit.Port}
            default_user = {LocalRabbitMQResource.UserName}
            default_pass = {rabbit.Password}
            default_vhost = /
            loopback_users = none
            log.console = true
            log.console.level = info
            log.file = false
            """, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(rabbit.ConfigDirectory, "enabled_plugins"), "[].\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(rabbit.ConfigDirectory, "rabbitmq-env.conf"), "", cancellationToken).ConfigureAwait(false);
        var cookie = Path.Combine(rabbit.HomeDirectory, ".erlang.cookie");
        if (!File.Exists(cookie))
        {
            await File.WriteAllTextAsync(cookie, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), cancellationToken).ConfigureAwait(false);
        }

        if (!OperatingSystem.IsWindows())
        {
            // Erlang refuses a cookie that others can read.
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        }

        var user = ServiceAccount.For("rabbitmq");
        await ServiceAccount.PrepareFoldersAsync(user, rabbit.WorkingDirectory, Path.Combine(rabbit.WorkingDirectory, "mnesia"), Path.Combine(rabbit.WorkingDirectory, "log")).ConfigureAwait(false);
    }
}

/// <summary>Healthy while one AMQP connection (opened with the broker's credentials, kept open) is up.</summary>
internal sealed class AmqpHealthCheck(string connectionString) : IHealthCheck, IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private IConnection? connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (connection is { IsOpen: true })
            {
                return HealthCheckResult.Healthy();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                connection = null;
            }

            var factory = new ConnectionFactory
            {
                Uri = new Uri(connectionString),
                ClientProvidedName = "aspire-health-check",
                AutomaticRecoveryEnabled = false,
                RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
            };
            connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is RabbitMQ.Client.Exceptions.BrokerUnreachableException or SocketException or IOException or TimeoutException
            or RabbitMQ.Client.Exceptions.OperationInterruptedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("RabbitMQ does not accept an AMQP login yet.");
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
