using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using LettaPlatform.Hosting;
using Xunit;

namespace LettaPlatform.TestInfrastructure;

/// <summary>
/// LettaDev on a free 127.0.0.1 port, run from its build output as a child process the way the AppHost
/// runs it, so the service under test reaches it over real HTTP as it would reach Letta. A process, not
/// an in-process host: LettaDev's global <c>Program</c> would collide with the service's in every test
/// project that uses <c>WebApplicationFactory&lt;Program&gt;</c>. Each server has its own in-memory state.
/// Start one with <see cref="StartAsync"/>, or use the class as an xUnit fixture.
/// </summary>
public sealed class LettaDevServer : IAsyncLifetime
{
    private const int SigTerm = 15;
    private const int StartAttempts = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TimeSpan? pingInterval;
    private ChildProcess? process;
    private HttpClient? http;

    public LettaDevServer()
    {
    }

    private LettaDevServer(TimeSpan? pingInterval) => this.pingInterval = pingInterval;

    /// <summary><c>http://127.0.0.1:port/</c>.</summary>
    public Uri Endpoint => Http.BaseAddress!;

    /// <summary>A client whose base address is <see cref="Endpoint"/>, for arranging and inspecting LettaDev's state.</summary>
    public HttpClient Http => http ?? throw new InvalidOperationException("LettaDev has not been started.");

    /// <summary>Starts a LettaDev and returns once its health endpoint answers.</summary>
    /// <param name="pingInterval">How often an idle stream sends a ping frame (LettaDev's default is 20 s).</param>
    public static async Task<LettaDevServer> StartAsync(TimeSpan? pingInterval = null)
    {
        var server = new LettaDevServer(pingInterval);
        await server.InitializeAsync();
        return server;
    }

    public async ValueTask InitializeAsync()
    {
        var assembly = typeof(LettaDevServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "LettaDevAssembly").Value!;
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException("LettaDev has not been built (TestInfrastructure's project reference builds it).", assembly);
        }

        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (pingInterval is { } interval)
        {
            environment["LettaDev__PingInterval"] = interval.ToString("c");
        }

        // The port is free when chosen, but something else may take it before LettaDev binds it;
        // LettaDev then exits at once and another port is tried.
        for (var attempt = 1; ; attempt++)
        {
            var endpoint = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
            var output = new ConcurrentQueue<string>();
            process = await ChildProcess.StartAsync(
                new ProcessSpec("dotnet", [assembly, "--urls", endpoint.ToString().TrimEnd('/')])
                {
                    Environment = environment,
                    WorkingDirectory = Path.GetDirectoryName(assembly),
                },
                output.Enqueue);
            http = new HttpClient { BaseAddress = endpoint };
            try
            {
                await WaitUntilHealthyAsync(process, http);
                return;
            }
            catch (Exception exception)
            {
                var exited = process.HasExited;
                await DisposeAsync();
                if (!exited || attempt == StartAttempts)
                {
                    throw new InvalidOperationException(
                        $"LettaDev ({assembly}) did not become healthy at {endpoint}: {exception.Message}{Environment.NewLine}{string.Join(Environment.NewLine, output)}",
                        exception);
                }
            }
        }
    }

    /// <summary>Queues scripted model steps for an agent (LettaDev's test hook); <paramref name="stepsJson"/> is the JSON array of steps.</summary>
    public async Task ScriptAsync(string lettaAgentId, string stepsJson)
    {
        using var content = new StringContent($$"""{"steps":{{stepsJson}}}""", Encoding.UTF8, "application/json");
        using var response = await Http.PutAsync($"/_dev/agents/{lettaAgentId}/script", content, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Makes the next <paramref name="count"/> <c>/v1</c> requests answer <paramref name="status"/> (LettaDev's test hook); zero ends an outage.</summary>
    public async Task FailNextAsync(int count, int status = 503)
    {
        using var response = await Http.PostAsJsonAsync("/_dev/fail", new { count, status }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        http?.Dispose();
        http = null;
        if (process is not null)
        {
            // LettaDev keeps everything in memory, so there is nothing to wait for beyond a short grace.
            await process.StopAsync(SigTerm, TimeSpan.FromSeconds(5));
            await process.DisposeAsync();
            process = null;
        }
    }

    private static async Task WaitUntilHealthyAsync(ChildProcess process, HttpClient http)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"LettaDev exited with code {await process.Exited}.");
            }

            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var response = await http.GetAsync("/v1/health/", attempt.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Still starting: not listening yet, or too busy to answer in time.
            }

            if (waited.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"GET /v1/health/ did not answer 200 within {StartTimeout.TotalSeconds} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
