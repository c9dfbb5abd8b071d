using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;

namespace LettaPlatform.Bench;

/// <summary>Somewhere a chat turn can be sent: LettaDev directly, or the platform (through the gateway, or at chat-api).</summary>
public interface ITurnTarget
{
    string Name { get; }

    /// <summary>Sends one turn with <paramref name="content"/> and reads the whole answer; throws unless it succeeded.</summary>
    Task SendAsync(string content, CancellationToken cancellationToken);

    /// <summary>Sends one streamed turn: milliseconds to the first event and to the end, and how many events came.</summary>
    Task<StreamTiming> StreamAsync(string content, CancellationToken cancellationToken);
}

public sealed record StreamTiming(double FirstEventMs, double DoneMs, int Events);

/// <summary>
/// What chat-api itself sends Letta for a turn: <c>POST /v1/conversations/{id}/messages</c> with streaming on, the
/// answer read to its end. Its own conversation of the same agent, so the two never wait for each other.
/// </summary>
public sealed class DirectLetta(HttpClient letta, string conversationId) : ITurnTarget
{
    public string Name => "direct";

    public async Task SendAsync(string content, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(content, streamTokens: false, cancellationToken);
        await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public async Task<StreamTiming> StreamAsync(string content, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await PostAsync(content, streamTokens: true, cancellationToken);
        return await Sse.TimeAsync(response, started, cancellationToken);
    }

    private async Task<HttpResponseMessage> PostAsync(string content, bool streamTokens, CancellationToken cancellationToken)
    {
        var body = $$"""{"messages":[{"role":"user","content":{{System.Text.Json.JsonSerializer.Serialize(content)}}}],"streaming":true,"stream_tokens":{{(streamTokens ? "true" : "false")}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/conversations/{conversationId}/messages")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var response = await letta.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new HttpRequestException($"LettaDev answered {(int)response.StatusCode}: {text}");
        }

        return response;
    }
}

/// <summary>The platform's chat API (<c>POST /api/chat/sessions/{id}/messages</c> and <c>…/messages/stream</c>) at one address.</summary>
public sealed class PlatformChat(string name, HttpClient client, string sessionId) : ITurnTarget
{
    public string Name => name;

    public async Task SendAsync(string content, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content }, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || !text.Contains("\"completed\"", StringComparison.Ordinal))
        {
            throw new HttpRequestException($"{name} answered {(int)response.StatusCode}: {text}");
        }
    }

    public async Task<StreamTiming> StreamAsync(string content, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/sessions/{sessionId}/messages/stream")
        {
            Content = JsonContent.Create(new { content }),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return await Sse.TimeAsync(response, started, cancellationToken);
    }
}

internal static class Sse
{
    /// <summary>Reads a server-sent event stream to its end, timing its first event (the first <c>data:</c> line) and its end.</summary>
    public static async Task<StreamTiming> TimeAsync(HttpResponseMessage response, long started, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        double? first = null;
        var events = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                first ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                events++;
            }
        }

        var done = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new StreamTiming(first ?? done, done, events);
    }
}
