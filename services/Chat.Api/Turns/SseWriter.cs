using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>
/// Writes <c>text/event-stream</c>: each event flushed as it is written (id, event name, JSON data),
/// a comment line when nothing was written for the keep-alive interval. Once the client is gone,
/// writes are dropped silently: the turn goes on and its events stay in Redis for a reconnect.
/// </summary>
public sealed class SseWriter : ITurnSink, IAsyncDisposable
{
    private readonly HttpResponse _response;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeSpan _keepAlive;
    private readonly PeriodicTimer _keepAliveTimer;
    private Task? _keepAliveLoop;
    private long _lastWrite = Environment.TickCount64;
    private bool _gone;

    public SseWriter(HttpResponse response, TimeSpan keepAlive)
    {
        _response = response;
        _keepAlive = keepAlive;
        _keepAliveTimer = new PeriodicTimer(keepAlive / 2);
    }

    public string? LastEventId { get; private set; }

    public bool IsStarted => _keepAliveLoop is not null;

    public async Task StartAsync()
    {
        if (_keepAliveLoop is not null)
        {
            return;
        }

        _response.StatusCode = StatusCodes.Status200OK;
        _response.ContentType = "text/event-stream";
        _response.Headers.CacheControl = "no-cache";
        _response.Headers["X-Accel-Buffering"] = "no";
        _response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await WriteRawAsync(": stream open\n\n");
        _keepAliveLoop = KeepAliveLoopAsync();
    }

    public async Task WriteAsync(ChatEvent chatEvent)
    {
        await StartAsync();
        await WriteRawAsync($"id: {chatEvent.Id}\nevent: {chatEvent.Type}\ndata: {chatEvent.DataJson}\n\n");
        LastEventId = chatEvent.Id;
    }

    public Task KeepAliveAsync() => IsStarted ? WriteRawAsync(": keep-alive\n\n") : Task.CompletedTask;

    private async Task KeepAliveLoopAsync()
    {
        // Disposing the timer ends the loop: the pending tick answers false (no exception per stream).
        while (await _keepAliveTimer.WaitForNextTickAsync())
        {
            if (Environment.TickCount64 - Interlocked.Read(ref _lastWrite) >= _keepAlive.TotalMilliseconds)
            {
                await WriteRawAsync(": keep-alive\n\n");
            }
        }
    }

    private async Task WriteRawAsync(string text)
    {
        await _gate.WaitAsync();
        try
        {
            if (_gone)
            {
                return;
            }

            await _response.Body.WriteAsync(Encoding.UTF8.GetBytes(text));
            await _response.Body.FlushAsync();
            Interlocked.Exchange(ref _lastWrite, Environment.TickCount64);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            _gone = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _keepAliveTimer.Dispose();
        if (_keepAliveLoop is not null)
        {
            await _keepAliveLoop;
        }
    }
}
