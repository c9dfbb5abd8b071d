using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LettaPlatform.LettaDev.Tests.TestHost;

/// <summary>LettaDev in memory, with a short ping interval so keep-alives show up in tests.</summary>
public sealed class LettaDevHost : WebApplicationFactory<Program>
{
    public string? Password { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("LettaDev:PingInterval", "00:00:00.050");
        if (Password is not null)
        {
            builder.UseSetting("LettaDev:Password", Password);
        }
    }
}

/// <summary>Raw HTTP helpers: the tests speak JSON directly, like any Letta client would.</summary>
public static class Http
{
    public static async Task<JsonObject> CreateAgentAsync(this HttpClient client, string name = "tester", string[]? tags = null, string persona = "I am Dev, a test agent.")
    {
        var body = new JsonObject
        {
            ["name"] = name,
            ["tags"] = new JsonArray([.. (tags ?? []).Select(t => (JsonNode?)t)]),
            ["memory_blocks"] = new JsonArray(
                new JsonObject { ["label"] = "persona", ["value"] = persona },
                new JsonObject { ["label"] = "human", ["value"] = "Name: Ada" }),
            ["model"] = "openai/gpt-4o-mini",
            ["embedding"] = "openai/text-embedding-3-small",
        };
        return await client.SendJsonAsync(HttpMethod.Post, "/v1/agents/", body);
    }

    public static async Task<JsonObject> SendJsonAsync(this HttpClient client, HttpMethod method, string path, JsonNode? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var node = await client.SendForNodeAsync(method, path, body, expected);
        return node!.AsObject();
    }

    public static async Task<JsonNode?> SendForNodeAsync(this HttpClient client, HttpMethod method, string path, JsonNode? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public static async Task<JsonArray> GetArrayAsync(this HttpClient client, string path) =>
        (await client.SendForNodeAsync(HttpMethod.Get, path))!.AsArray();

    public static JsonObject UserMessage(string text, string? otid = null) => new()
    {
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text, ["otid"] = otid }),
    };

    public static JsonObject ClientTool(string name, params string[] properties)
    {
        var props = new JsonObject();
        foreach (var property in properties)
        {
            props[property] = new JsonObject { ["type"] = "string" };
        }
        return new JsonObject
        {
            ["name"] = name,
            ["description"] = $"Client-side {name}",
            ["parameters"] = new JsonObject { ["type"] = "object", ["properties"] = props, ["required"] = new JsonArray([.. properties.Select(p => (JsonNode?)p)]) },
        };
    }

    public static string Type(this JsonNode? message) => message!["message_type"]!.GetValue<string>();

    public static string Str(this JsonNode? node, string name) => node![name]!.GetValue<string>();
}

/// <summary>One frame of a Letta-shaped stream (read by TestInfrastructure's <see cref="SseReader"/>); the last is <c>[DONE]</c>.</summary>
public sealed record LettaFrame(string? Event, string Data)
{
    public JsonObject? Json => Data == "[DONE]" ? null : JsonNode.Parse(Data)!.AsObject();

    public string Kind => Data == "[DONE]" ? "[DONE]" : Json!.Type();
}

public static class Sse
{
    public static async Task<List<LettaFrame>> PostAsync(HttpClient client, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {(int)response.StatusCode} {text}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return Parse(text);
    }

    public static List<LettaFrame> Parse(string text) => [.. SseReader.Parse(text).Select(f => new LettaFrame(f.Event, f.Data))];
}
