using System.Text;

namespace LettaPlatform.Chat.Api.Tests.TestHost;

/// <summary>One SSE event as a client sees it.</summary>
public sealed record SseEvent(string? Id, string Event, JsonObject Data)
{
    public string Type => Data["type"]!.GetValue<string>();

    public string Str(string name) => Data[name]!.GetValue<string>();
}

/// <summary>The chat API as a test speaks it: JSON in, JSON or server-sent events out.</summary>
public sealed class ChatClient(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async Task<JsonObject> CreateSessionAsync(string templateId = StandIns.Template, string? title = null)
    {
        using var response = await http.PostAsJsonAsync("/api/chat/sessions", new { templateId, title }, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create session: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public async Task<string> CreateSessionIdAsync(string templateId = StandIns.Template) =>
        (await CreateSessionAsync(templateId))["id"]!.GetValue<string>();

    public async Task<JsonObject> SendAsync(string sessionId, string content)
    {
        using var response = await http.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content }, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"send: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public async Task<JsonObject> AnswerAsync(string sessionId, string toolCallId, bool approve, string? reason = null)
    {
        using var response = await http.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/approvals", new { toolCallId, approve, reason }, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"approval: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Posts and reads the whole event stream (it ends with the turn).</summary>
    public async Task<List<SseEvent>> StreamAsync(string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {(int)response.StatusCode} {text}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return Parse(text);
    }

    public Task<List<SseEvent>> StreamMessageAsync(string sessionId, string content) =>
        StreamAsync($"/api/chat/sessions/{sessionId}/messages/stream", new { content });

    public static List<SseEvent> Parse(string text) => [.. SseReader.Parse(text).Select(ToEvent).OfType<SseEvent>()];

    public static SseEvent? ParseBlock(string block) => ToEvent(SseReader.ParseBlock(block));

    /// <summary>Reads the next event of an open stream (skipping comments), or null at its end.</summary>
    public static async Task<SseEvent?> ReadEventAsync(StreamReader reader)
    {
        while (await SseReader.ReadFrameAsync(reader, Token) is { } frame)
        {
            if (ToEvent(frame) is { } parsed)
            {
                return parsed;
            }
        }

        return null;
    }

    private static SseEvent? ToEvent(SseFrame? frame) =>
        frame?.Event is null ? null : new SseEvent(frame.Id, frame.Event, JsonNode.Parse(frame.Data)!.AsObject());

    public void Dispose() => http.Dispose();
}
