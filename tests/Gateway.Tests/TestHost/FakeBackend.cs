using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LettaPlatform.Gateway.Tests.TestHost;

/// <summary>
/// Stands in for the four services: one Kestrel app listening on one port per service, answering
/// with the service it plays, the path it received and whether a bearer token arrived. One route
/// streams server-sent events and holds the response open until the test releases it.
/// </summary>
public sealed class FakeBackend : IAsyncDisposable
{
    public static readonly string[] Services = ["chat-api", "agent-management-api", "tool-execution-api", "memory-sync-api"];

    public const string StreamPath = "/api/chat/sessions/s1/messages/stream";

    private readonly WebApplication _app;

    private FakeBackend(WebApplication app, IReadOnlyDictionary<string, string> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>Service name → the address it listens on (what <c>services__{name}__http__0</c> holds).</summary>
    public IReadOnlyDictionary<string, string> Addresses { get; }

    /// <summary>Completed by a test to let the event stream send its second event and end.</summary>
    public TaskCompletionSource ReleaseStream { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the streaming response has been completed by the backend.</summary>
    public bool StreamFinished { get; private set; }

    public static async Task<FakeBackend> StartAsync()
    {
        var ports = Services.ToDictionary(service => service, _ => FreeTcpPort());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            foreach (var port in ports.Values)
            {
                kestrel.Listen(IPAddress.Loopback, port);
            }
        });

        var app = builder.Build();
        var serviceByPort = ports.ToDictionary(pair => pair.Value, pair => pair.Key);
        var backend = new FakeBackend(app, ports.ToDictionary(pair => pair.Key, pair => $"http://127.0.0.1:{pair.Value}"));

        app.MapPost(StreamPath, backend.StreamAsync);
        app.Map("/{**path}", (HttpContext context) => Results.Json(new BackendAnswer(
            serviceByPort[context.Connection.LocalPort],
            context.Request.Path,
            context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))));

        await app.StartAsync();
        return backend;
    }

    private async Task StreamAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync("id: 1\nevent: assistant\ndata: {\"text\":\"first\"}\n\n");
        await context.Response.Body.FlushAsync();

        await ReleaseStream.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await context.Response.WriteAsync("id: 2\nevent: done\ndata: {\"status\":\"completed\"}\n\n");
        await context.Response.Body.FlushAsync();
        StreamFinished = true;
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseStream.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record BackendAnswer(string Service, string Path, bool HadBearerToken);
