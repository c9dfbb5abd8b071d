using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.TestInfrastructure;

/// <summary>One server-sent event of a chat turn: its <c>id:</c>, its <c>event:</c> name and its JSON <c>data:</c>.</summary>
public sealed record StreamEvent(string? Id, string Type, JsonObject Data)
{
    public string Str(string name) => Data[name]!.GetValue<string>();
}

/// <summary>Reads chat-api's event streams (through the gateway or from a service directly).</summary>
public static class ChatStream
{
    /// <summary>POSTs <paramref name="body"/> to a streaming route and reads the whole stream (the turn's end closes it).</summary>
    public static async Task<List<StreamEvent>> PostAsync(HttpClient client, string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            throw new HttpRequestException($"POST {path} answered {(int)response.StatusCode} {response.Content.Headers.ContentType}: {text}");
        }

        return Parse(text);
    }

    /// <summary>
    /// The turn's own events. <c>memory_updated</c> is relayed when memory-sync reports a change, which
    /// happens on its own schedule (after a turn completes, too), so its place among them is not fixed.
    /// </summary>
    public static List<StreamEvent> TurnEvents(IEnumerable<StreamEvent> events) => [.. events.Where(e => e.Type != "memory_updated")];

    public static List<StreamEvent> Parse(string text) =>
        [.. SseReader.Parse(text).Where(f => f.Event is not null).Select(f => new StreamEvent(f.Id, f.Event!, JsonNode.Parse(f.Data)!.AsObject()))];
}
