using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LettaPlatform.Letta.Tests.TestHost;

/// <summary>
/// A real Kestrel server on a free 127.0.0.1 port whose answers each test scripts, for what LettaDev never
/// produces: error bodies, transient failures, broken and silent streams.
/// </summary>
public sealed class ScriptedLettaServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedLettaServer(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>What the server does with each request; replace it per test.</summary>
    public Func<HttpContext, Task> Handler { get; set; } = context => Json(context, 200, """{"version":"0.16.8","status":"ok"}""");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<ScriptedLettaServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ScriptedLettaServer(app);
        app.Run(async context =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
            server.Requests.Enqueue(new RecordedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body));
            await server.Handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address);
        return server;
    }

    public static async Task Json(HttpContext context, int status, string body, Action<IHeaderDictionary>? headers = null)
    {
        context.Response.StatusCode = status;
        headers?.Invoke(context.Response.Headers);
        if (body.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body, context.RequestAborted);
        }
    }

    /// <summary>Starts an event stream and returns a writer for its lines, flushed as written.</summary>
    public static async Task<Func<string, Task>> BeginStream(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        await context.Response.Body.FlushAsync(context.RequestAborted);
        return async text =>
        {
            await context.Response.WriteAsync(text, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);
