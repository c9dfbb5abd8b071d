using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace LettaPlatform.Letta;

/// <summary>
/// Reads Letta's <c>text/event-stream</c> as it arrives. Every received line (data, comment or blank)
/// resets the idle watchdog; a stream that closes before <c>[DONE]</c> is reported as truncated.
/// </summary>
public static class LettaSseReader
{
    public static async IAsyncEnumerable<LettaStreamEvent> ReadAsync(
        Stream stream,
        TimeSpan idleTimeout,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? eventName = null;
        var data = new StringBuilder();
        int? lastSeqId = null;

        while (true)
        {
            string? line;
            idle.CancelAfter(idleTimeout);
            try
            {
                line = await reader.ReadLineAsync(idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LettaStreamStalledException(idleTimeout);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                throw new LettaStreamTruncatedException("The Letta stream broke off before [DONE].", lastSeqId, ex);
            }

            if (line is null)
            {
                throw new LettaStreamTruncatedException("The Letta stream closed before [DONE].", lastSeqId);
            }

            if (line.Length == 0)
            {
                if (data.Length == 0)
                {
                    eventName = null;
                    continue;
                }
                var payload = data.ToString();
                data.Clear();
                var name = eventName;
                eventName = null;
                if (payload == "[DONE]")
                {
                    yield return new LettaDoneEvent();
                    yield break;
                }
                var streamEvent = Parse(name, payload);
                if (streamEvent is LettaMessageEvent { Message.SeqId: { } seq })
                {
                    lastSeqId = seq;
                }
                else if (streamEvent is LettaPingEvent { SeqId: { } pingSeq })
                {
                    lastSeqId = pingSeq;
                }
                yield return streamEvent;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }
            switch (field)
            {
                case "event":
                    eventName = value;
                    break;
                case "data":
                    if (data.Length > 0)
                    {
                        data.Append('\n');
                    }
                    data.Append(value);
                    break;
            }
        }
    }

    internal static LettaStreamEvent Parse(string? eventName, string payload)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException ex)
        {
            throw new LettaStreamFormatException("A Letta stream chunk is not valid JSON.", payload, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LettaStreamFormatException("A Letta stream chunk is not a JSON object.", payload);
            }
            var messageType = root.TryGetProperty("message_type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
            if (eventName == "error" || messageType == "error_message")
            {
                return new LettaErrorEvent(
                    GetString(root, "run_id"), GetString(root, "error_type"),
                    GetString(root, "message") ?? GetString(root, "error"), GetString(root, "detail"));
            }
            try
            {
                return messageType switch
                {
                    "ping" => new LettaPingEvent(GetString(root, "run_id"), root.TryGetProperty("seq_id", out var seq) && seq.ValueKind == JsonValueKind.Number ? seq.GetInt32() : null),
                    "stop_reason" => new LettaStopReasonEvent(GetString(root, "stop_reason") ?? ""),
                    "usage_statistics" => new LettaUsageEvent(root.Deserialize<LettaUsage>(LettaJson.Options)!),
                    _ => new LettaMessageEvent(LettaMessageConverter.FromElement(root, LettaJson.Options)),
                };
            }
            catch (JsonException ex)
            {
                throw new LettaStreamFormatException($"A Letta stream chunk of type '{messageType}' has an unexpected shape.", payload, ex);
            }
        }
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
