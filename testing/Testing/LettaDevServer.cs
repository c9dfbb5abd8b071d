using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LettaPlatform.Testing;

/// <summary>
/// Just LettaDev, the platform's Letta-compatible server with its deterministic dev model, run as a process on
/// a free local port: for testing a Letta client, a prompt's effect on the dev model, or the script hook,
/// without the platform. Give it the path of LettaDev's built assembly (<c>LettaPlatform.LettaDev.dll</c>).
/// </summary>
public sealed class LettaDevServer : IAsyncDisposable
{
    private readonly Process _process;

    private LettaDevServer(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>A connection whose gateway is unused: <see cref="PlatformConnection.CreateLettaClient"/> and <see cref="PlatformConnection.ScriptAsync"/> work.</summary>
    public PlatformConnection Connection => new(Url, Url);

    public static async Task<LettaDevServer> StartAsync(string lettaDevAssembly, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(lettaDevAssembly))
        {
            throw new FileNotFoundException($"LettaDev is not built at {lettaDevAssembly}; build services/LettaDev first.", lettaDevAssembly);
        }

        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { lettaDevAssembly, "--urls", url.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LettaDevServer(process, url);
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                using var health = await client.GetAsync("/v1/health/", cancellationToken);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not answering yet.
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"LettaDev did not become healthy at {url}.");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
