extern alias LettaDev;

using System.Net;
using System.Net.Http.Json;
using LettaPlatform.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LettaPlatform.AgentManagement.Api.Tests.TestHost;

/// <summary>
/// A LettaDev server on a real loopback port (Kestrel, in this process), because the service under
/// test reaches its Letta instances over HTTP by endpoint, like it would reach Letta.
/// </summary>
public sealed class LettaDevServer : IAsyncDisposable
{
    private readonly WebApplicationFactory<LettaDev::Program> _factory;

    private LettaDevServer(int port)
    {
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _factory = new WebApplicationFactory<LettaDev::Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            web.UseSetting("urls", Endpoint.ToString());
        });
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        _factory.StartServer();
    }

    public Uri Endpoint { get; }

    public static LettaDevServer Start() => new(FreePort.Next());

    /// <summary>Makes LettaDev answer the next <paramref name="count"/> /v1 requests with <paramref name="status"/> (its test hook).</summary>
    public async Task FailNextAsync(int count, int status)
    {
        using var http = new HttpClient { BaseAddress = Endpoint };
        using var response = await http.PostAsJsonAsync("/_dev/fail", new { count, status }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
