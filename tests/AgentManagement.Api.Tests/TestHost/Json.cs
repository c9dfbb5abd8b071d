using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.AgentManagement.Api.Tests.TestHost;

/// <summary>HTTP helpers that read bodies as JSON and fail with the body in the message on an unexpected status.</summary>
public static class Json
{
    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    public static async Task<JsonNode?> SendAsync(this HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request, CancellationToken);
        var text = await response.Content.ReadAsStringAsync(CancellationToken);
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public static async Task<JsonObject> GetObjectAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        (await client.SendAsync(HttpMethod.Get, path, null, expected))!.AsObject();

    public static async Task<JsonObject> PostObjectAsync(this HttpClient client, string path, object? body, HttpStatusCode expected) =>
        (await client.SendAsync(HttpMethod.Post, path, body, expected))!.AsObject();

    /// <summary>Asserts an RFC 9457 problem response and returns it.</summary>
    public static async Task<JsonObject> ProblemAsync(this HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request, CancellationToken);
        var text = await response.Content.ReadAsStringAsync(CancellationToken);
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        return problem;
    }
}
