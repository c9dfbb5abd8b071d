using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>Makes every Letta call fail for a moment, so it runs alone, after the tests that need Letta.</summary>
[CollectionDefinition(nameof(LettaOutageCollection), DisableParallelization = true)]
public sealed class LettaOutageCollection;

/// <summary>
/// Letta failing (LettaDev's <c>/_dev/fail</c> hook, reached with the key from the platform's <c>letta</c>
/// connection string) while chat stays up: 503 with Retry-After fast, history readable, then recovery
/// without restarting anything.
/// </summary>
[Collection(nameof(LettaOutageCollection))]
public class ChatLettaOutageTests(PlatformFixture platform)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendMessage_LettaFailing_Answers503WithRetryAfterThenRecovers()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        using var created = await client.PostAsJsonAsync("/api/chat/sessions", new { templateId = "code-assistant" }, Token);
        var sessionId = (await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!.GetValue<string>();
        using (var before = await client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "before the outage" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var letta = LettaDevClient();
        HttpResponseMessage failed;
        var watch = Stopwatch.StartNew();
        await FailLettaAsync(letta, 10_000);
        try
        {
            failed = await client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "anyone there?" }, Token);
            watch.Stop();
        }
        finally
        {
            await FailLettaAsync(letta, 0);
        }

        using (failed)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.NotNull(failed.Headers.RetryAfter);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"the 503 took {watch.Elapsed}");
            Assert.Equal("letta_unavailable", (await failed.Content.ReadFromJsonAsync<JsonObject>(Token))!["code"]!.GetValue<string>());
        }

        var history = await client.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);
        Assert.Equal(2, history!["items"]!.AsArray().Count);
        using var recovered = await client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "back again?" }, Token);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal("completed", (await recovered.Content.ReadFromJsonAsync<JsonObject>(Token))!["status"]!.GetValue<string>());
    }

    private HttpClient LettaDevClient()
    {
        var connection = new DbConnectionStringBuilder { ConnectionString = platform.Resources["letta"].ConnectionString };
        var client = new HttpClient { BaseAddress = new Uri((string)connection["Endpoint"]) };
        if (connection.TryGetValue("Key", out var key))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)key);
        }

        return client;
    }

    private static async Task FailLettaAsync(HttpClient letta, int count)
    {
        using var response = await letta.PostAsJsonAsync("/_dev/fail", new { count, status = 503 }, CancellationToken.None);
        response.EnsureSuccessStatusCode();
    }
}
