using System.Text;

namespace LettaPlatform.Chat.Api.Tests;

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

    public static List<SseEvent> Parse(string text)
    {
        var events = new List<SseEvent>();
        foreach (var block in text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            if (ParseBlock(block) is { } parsed)
            {
                events.Add(parsed);
            }
        }

        return events;
    }

    public static SseEvent? ParseBlock(string block)
    {
        string? id = null;
        string? name = null;
        var data = new StringBuilder();
        foreach (var line in block.Split('\n'))
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line[6..]);
        }

        return name is null ? null : new SseEvent(id, name, JsonNode.Parse(data.ToString())!.AsObject());
    }

    /// <summary>Reads the next event of an open stream (skipping comments), or null at its end.</summary>
    public static async Task<SseEvent?> ReadEventAsync(StreamReader reader)
    {
        var block = new StringBuilder();
        while (await reader.ReadLineAsync(Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (ParseBlock(block.ToString()) is { } parsed)
                {
                    return parsed;
                }

                block.Clear();
                continue;
            }

            block.Append(line).Append('\n');
        }

        return null;
    }

    public void Dispose() => http.Dispose();
}
