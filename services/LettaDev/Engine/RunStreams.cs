using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;
using Microsoft.Extensions.Options;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>Answers a run as Server-Sent Events or as one LettaResponse, from the frames the run has recorded.</summary>
public sealed class RunStreams(DevStore store, IOptions<LettaDevOptions> options)
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
                List<RunEvent> pending;
                bool finished;
                Task changed;
                lock (store.Gate)
                {
                    pending = [.. run.Events.Where(e => e.Seq > sent)];
                    finished = run.Finished;
                    changed = run.Changed.Task;
                }
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
                    var ping = Messages.New("ping", store.Now);
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
            Task changed;
            lock (store.Gate)
            {
                if (run.Finished)
                {
                    var produced = run.Messages
                        .Where(m => m.Str("message_type") is not ("user_message" or "system_message" or "approval_response_message"))
                        .Where(m => types is null || types.Contains(m.Str("message_type") ?? ""))
                        .Select(m => (JsonNode)m.DeepClone());
                    return new JsonObject
                    {
                        ["messages"] = new JsonArray([.. produced]),
                        ["stop_reason"] = new JsonObject { ["message_type"] = "stop_reason", ["stop_reason"] = run.StopReason },
                        ["usage"] = run.Usage.DeepClone(),
                        ["logprobs"] = null,
                        ["turns"] = null,
                    };
                }
                changed = run.Changed.Task;
            }
            await changed.WaitAsync(ct);
        }
    }
}
