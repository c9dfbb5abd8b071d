extern alias lettadev;

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using LettaDevProgram = lettadev::Program;

namespace LettaPlatform.MemorySync.Api.Tests.Infrastructure;

/// <summary>LettaDev on a real loopback port, so memory-sync reaches it exactly as it would reach Letta.</summary>
public sealed class LettaDevServer : IAsyncDisposable
{
    private readonly WebApplicationFactory<LettaDevProgram> _factory;
    private readonly HttpClient _http;

    private LettaDevServer(WebApplicationFactory<LettaDevProgram> factory, Uri endpoint)
    {
        _factory = factory;
        Endpoint = endpoint;
        _http = new HttpClient { BaseAddress = endpoint };
    }

    public Uri Endpoint { get; }

    public static LettaDevServer Start()
    {
        var port = FreeTcpPort();
        var factory = new WebApplicationFactory<LettaDevProgram>().WithWebHostBuilder(web =>
            web.UseSetting("Logging:LogLevel:Default", "Warning"));
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return new LettaDevServer(factory, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Makes the next <paramref name="count"/> Letta requests answer 503 (zero ends an outage).</summary>
    public async Task FailNextAsync(int count)
    {
        using var response = await _http.PostAsJsonAsync("_dev/fail", new { count, status = 503 }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
