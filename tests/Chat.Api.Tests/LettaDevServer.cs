extern alias LettaDevServer;

using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LettaPlatform.Chat.Api.Tests;

/// <summary>LettaDev on Kestrel on a free loopback port: chat-api reaches it over real HTTP, as in the platform.</summary>
public sealed class LettaDevServer : IAsyncDisposable
{
    private readonly Factory _factory;
    private readonly HttpClient _http;

    public LettaDevServer()
    {
        Port = FreePort();
        _factory = new Factory(Port);
        _factory.StartServer();
        _http = new HttpClient { BaseAddress = Endpoint };
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://localhost:{Port}/");

    public HttpClient Http => _http;

    /// <summary>Queues scripted model steps for an agent (LettaDev's test hook).</summary>
    public async Task ScriptAsync(string lettaAgentId, string stepsJson)
    {
        using var response = await _http.PutAsync($"/_dev/agents/{lettaAgentId}/script",
            new StringContent($$"""{"steps":{{stepsJson}}}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Makes the next <paramref name="count"/> /v1 requests fail with <paramref name="status"/> (0 heals it).</summary>
    public async Task FailAsync(int count, int status = 503)
    {
        using var response = await _http.PostAsJsonAsync("/_dev/fail", new { count, status }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Factory : WebApplicationFactory<LettaDevServer::Program>
    {
        public Factory(int port) => UseKestrel(port);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("LettaDev:PingInterval", "00:00:00.200");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
    }
}
