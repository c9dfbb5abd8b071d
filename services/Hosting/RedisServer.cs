using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LettaPlatform.Hosting;

/// <summary>A Redis server bound to 127.0.0.1, its files in its own folder.</summary>
public sealed class RedisServer(InfrastructureBinaries binaries, ServerSettings settings)
    : LocalServer(binaries, settings)
{
    public override string Name => "redis";

    public override string ConnectionString => $"127.0.0.1:{Port}";

    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // A server still loading its data answers -LOADING, which is not ready.
            return await SendAsync(Port, "PING", cancellationToken).ConfigureAwait(false) == "+PONG";
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    protected override Task<ChildProcess> LaunchAsync(CancellationToken cancellationToken)
    {
        List<string> arguments =
        [
            "--bind", "127.0.0.1",
            "--port", Port.ToString(),
            "--dir", Settings.Directory,
            "--daemonize", "no",
            "--protected-mode", "yes",
            "--logfile", "",
        ];
        arguments.AddRange(Settings.Durable
            ? ["--appendonly", "yes", "--appendfsync", "everysec", "--save", "900 1 300 10 60 10000"]
            : ["--appendonly", "no", "--save", ""]);
        return StartChildAsync(new ProcessSpec(Binaries.RedisServer, arguments));
    }

    protected override async Task RequestStopAsync(ChildProcess process)
    {
        try
        {
            await SendAsync(Port, Settings.Durable ? "SHUTDOWN SAVE" : "SHUTDOWN NOSAVE", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SocketException or IOException)
        {
            // SHUTDOWN closes the connection instead of answering.
        }
    }

    /// <summary>Sends one inline command and returns the first reply line (empty when the server closed the connection).</summary>
    private static async Task<string> SendAsync(int port, string command, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), timeout.Token).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false) ?? "";
    }
}
