using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;
using Microsoft.Extensions.Options;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>Answers a run as Server-Sent Events or as one LettaResponse, from the frames the run has recorded.</summary>
public sealed class RunStreams(TimeProvider time, IOptions<LettaDevOptions> options)
{
    public async Task StreamAsync(HttpContext context, RunEntity run, int startingAfter, bool includePings, IReadOnlySet<string>? types)
    {
        var response = context.Response;
        var ct = context.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(ct);

        var sent = startingAfter;
        try
        {
            while (true)
            {
                var (pending, finished, changed) = run.EventsAfter(sent);
                foreach (var runEvent in pending)
                {
                    sent = runEvent.Seq;
                    if (runEvent.IsMessage && types is not null && !types.Contains(runEvent.Payload.Str("message_type") ?? ""))
                    {
                        continue;
                    }
                    var prefix = runEvent.EventName is null ? "" : $"event: {runEvent.EventName}\n";
                    await response.WriteAsync($"{prefix}data: {runEvent.Payload.ToJsonString(Json.Wire)}\n\n", ct);
                }
                if (finished && pending.Count == 0)
                {
                    await response.WriteAsync("data: [DONE]\n\n", ct);
                    await response.Body.FlushAsync(ct);
                    return;
                }
                await response.Body.FlushAsync(ct);
                if (finished)
                {
                    continue;
                }
                var timeout = Task.Delay(options.Value.PingInterval, ct);
                if (await Task.WhenAny(changed, timeout) == timeout && includePings)
                {
                    ct.ThrowIfCancellationRequested();
                    var ping = Messages.New("ping", time.GetUtcNow());
                    ping["run_id"] = run.Id;
                    ping["seq_id"] = sent;
                    await response.WriteAsync($"data: {ping.ToJsonString(Json.Wire)}\n\n", ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; the run carries on and can be resumed with /v1/runs/{id}/stream.
        }
    }

    public async Task<JsonObject> ResponseAsync(RunEntity run, IReadOnlySet<string>? types, CancellationToken ct)
    {
        while (true)
        {
            if (run.Response(types, out var changed) is { } response)
            {
                return response;
            }
            await changed.WaitAsync(ct);
        }
    }
}
