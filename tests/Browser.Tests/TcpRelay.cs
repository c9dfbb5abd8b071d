using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LettaPlatform.Browser.Tests;

/// <summary>
/// A TCP relay on a free 127.0.0.1 port in front of the gateway, so a test can cut the browser's
/// connections the way a dropped network does (a reset mid-response), rather than the page cutting itself.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Uri target;
    private readonly ConcurrentDictionary<int, (TcpClient Browser, TcpClient Gateway)> open = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private int nextId;

    public TcpRelay(Uri target)
    {
        this.target = target;
        listener.Start();
        accepting = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    /// <summary>How many connections the browser has opened through the relay so far.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref nextId);

    /// <summary>Resets every open connection, both ways; answers how many there were.</summary>
    public int CutAll()
    {
        var cut = 0;
        foreach (var id in open.Keys)
        {
            if (open.TryRemove(id, out var pair))
            {
                pair.Browser.Client.LingerState = new LingerOption(true, 0);
                pair.Browser.Dispose();
                pair.Gateway.Dispose();
                cut++;
            }
        }

        return cut;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        CutAll();
        await accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient browser;
            try
            {
                browser = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }

            _ = RelayAsync(browser);
        }
    }

    private async Task RelayAsync(TcpClient browser)
    {
        var id = Interlocked.Increment(ref nextId);
        var gateway = new TcpClient();
        try
        {
            await gateway.ConnectAsync(target.Host, target.Port, stopping.Token);
            open[id] = (browser, gateway);
            var browserStream = browser.GetStream();
            var gatewayStream = gateway.GetStream();
            await Task.WhenAny(browserStream.CopyToAsync(gatewayStream, stopping.Token), gatewayStream.CopyToAsync(browserStream, stopping.Token));
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A cut or a closed side ends the relay of this connection; that is the point.
        }
        finally
        {
            open.TryRemove(id, out _);
            browser.Dispose();
            gateway.Dispose();
        }
    }
}
