using System.Net;
using System.Net.Sockets;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LettaPlatform.Hosting;

/// <summary>Redis from this machine's installation, bound to 127.0.0.1, its files in the data folder.</summary>
public sealed class LocalRedisResource(string name, string command, string directory, int port)
    : ExecutableResource(name, command, directory), IResourceWithConnectionString
{
    public int Port { get; } = port;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"127.0.0.1:{Port.ToString()}");
}

public static class LocalRedisExtensions
{
    private const int StablePort = 63790;

    /// <summary>
    /// Redis named <paramref name="name"/>: the server of <c>ConnectionStrings:&lt;name&gt;</c> when one is
    /// configured, otherwise a local one on <c>Ports:&lt;name&gt;</c> (63790) keeping its data (AOF + RDB) in
    /// <c>&lt;data&gt;/&lt;name&gt;</c>.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddLocalRedis(this IDistributedApplicationBuilder builder, string name)
    {
        var check = $"{name}-ping";
        if (ExternalServer.Configured(builder, name) is { } external)
        {
            AddPingCheck(builder, check, () => EndPoint(external));
            return ExternalServer.Add(builder, new ExternalServerResource(name, external), check);
        }

        var port = builder.PortFor(name, StablePort);
        var directory = Path.Combine(builder.DataDirectory(), name);
        var redis = new LocalRedisResource(name, LocalInfrastructure.Command("redis", b => b.RedisServer, "redis-server"), directory, port);
        AddPingCheck(builder, check, () => new DnsEndPoint("127.0.0.1", port));
        return LocalInfrastructure.AddServer(builder, redis, "redis", b => b.RedisServer)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithArgs(
            [
                "--bind", "127.0.0.1",
                "--port", port.ToString(),
                "--dir", directory,
                "--daemonize", "no",
                "--protected-mode", "yes",
                "--logfile", "",
                .. builder.Durable()
                    ? new[] { "--appendonly", "yes", "--appendfsync", "everysec", "--save", "900 1 300 10 60 10000" }
                    : ["--appendonly", "no", "--save", ""],
            ])
            .WithIconName("Memory")
            .WithHealthCheck(check);
    }

    private static void AddPingCheck(IDistributedApplicationBuilder builder, string key, Func<DnsEndPoint> endPoint) =>
        builder.Services.AddHealthChecks().AddAsyncCheck(key, async cancellationToken =>
        {
            try
            {
                // A server still loading its data answers -LOADING, which is not ready.
                return await PingAsync(endPoint(), cancellationToken).ConfigureAwait(false) == "+PONG"
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("Redis does not answer PING yet.");
            }
            catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy("Redis does not accept connections yet.");
            }
        });

    private static async Task<string> PingAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        using var client = new TcpClient();
        await client.ConnectAsync(endPoint.Host, endPoint.Port, timeout.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false) ?? "";
    }

    /// <summary>The first host:port of a StackExchange.Redis connection string.</summary>
    private static DnsEndPoint EndPoint(string connectionString)
    {
        var first = connectionString.Split(',')[0].Trim();
        var colon = first.LastIndexOf(':');
        return colon > 0 && int.TryParse(first[(colon + 1)..], out var port)
            ? new DnsEndPoint(first[..colon], port)
            : new DnsEndPoint(first, 6379);
    }
}
