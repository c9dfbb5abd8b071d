using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>Makes every Letta call fail for a moment, so it runs alone, after the tests that need Letta.</summary>
[CollectionDefinition(nameof(LettaOutageCollection), DisableParallelization = true)]
public sealed class LettaOutageCollection;

/// <summary>
/// Letta failing (LettaDev's <c>/_dev/fail</c> hook, reached with the key from the platform's <c>letta</c>
/// connection string), or really gone (stopped as an operator would, by its resource command), while chat stays up: 503 with Retry-After
/// fast, history readable, then recovery without restarting anything else (LettaDev itself is started again the same way).
/// </summary>
[Collection(nameof(LettaOutageCollection))]
public class ChatLettaOutageTests(EndToEndPlatform platform)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendMessage_LettaFailing_Answers503WithRetryAfterThenRecovers()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        using var created = await client.PostAsJsonAsync("/api/chat/sessions", new { templateId = "code-assistant" }, Token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var sessionId = (await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!.GetValue<string>();
        using (var before = await client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "before the outage" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var letta = platform.CreateLettaClient();
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
            // Fast means no wait for Letta's timeouts (10 s and more); a loaded 2-core CI machine took up to 2.8 s.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"the 503 took {watch.Elapsed}");
            Assert.Equal("letta_unavailable", (await failed.Content.ReadFromJsonAsync<JsonObject>(Token))!["code"]!.GetValue<string>());
        }

        var history = await client.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);
        Assert.Equal(2, history!["items"]!.AsArray().Count);
        using var recovered = await client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "back again?" }, Token);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal("completed", (await recovered.Content.ReadFromJsonAsync<JsonObject>(Token))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendMessage_LettaStopped_Answers503ThenRecoversThroughReprovisioning()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        using var created = await client.PostAsJsonAsync("/api/chat/sessions", new { templateId = "code-assistant" }, Token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = (await created.Content.ReadFromJsonAsync<JsonObject>(Token))!;
        var sessionId = session["id"]!.GetValue<string>();
        var agentPath = $"/api/agents/{session["agentId"]!.GetValue<string>()}";
        using (var before = await client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "before the outage" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var lettaAgentBefore = (await client.GetFromJsonAsync<JsonObject>(agentPath, Token))!["lettaAgentId"]!.GetValue<string>();
        var letta = platform.ServiceUrl("letta");
        using var gateway = platform.CreateGatewayClient();

        // An operator stops LettaDev from the dashboard: nothing of it answers any more, and every agent and
        // conversation it held in memory is lost with it.
        var outage = Stopwatch.StartNew();
        Assert.True((await platform.ExecuteCommandAsync("letta-dev", KnownResourceCommands.StopCommand, Token)).Success);
        await WaitUntilGoneAsync(letta);
        var watch = Stopwatch.StartNew();
        var send = client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "anyone there?" }, Token);
        var health = gateway.GetAsync("/health/chat-api", Token);
        using var failed = await send;
        watch.Stop();
        using var healthResponse = await health;
        var healthBody = await healthResponse.Content.ReadAsStringAsync(Token);
        var history = await client.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);
        TestContext.Current.TestOutputHelper?.WriteLine($"Letta stopped: 503 after {watch.ElapsedMilliseconds} ms");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.NotNull(failed.Headers.RetryAfter);
        // Fast means no wait for Letta's timeouts (10 s and more); a loaded 2-core CI machine took up to 2.8 s.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"the 503 took {watch.Elapsed}");
        Assert.Equal("letta_unavailable", (await failed.Content.ReadFromJsonAsync<JsonObject>(Token))!["code"]!.GetValue<string>());
        Assert.True(healthResponse.StatusCode == HttpStatusCode.OK, $"/health/chat-api answered {(int)healthResponse.StatusCode}: {healthBody}");
        Assert.Equal("Degraded", JsonNode.Parse(healthBody)!["status"]!.GetValue<string>());
        Assert.Equal(2, history!["items"]!.AsArray().Count);

        // An operator starts it again from the dashboard (Aspire does not restart a crashed resource by itself).
        Assert.True((await platform.ExecuteCommandAsync("letta-dev", KnownResourceCommands.StartCommand, Token)).Success);
        await WaitUntilHealthyAsync(letta);
        var restarted = outage.Elapsed;

        // As a client should, it sends again when told 503 with Retry-After: until the services' Letta circuit
        // breakers close (at most their 5 s break), the platform says the runtime is unavailable, never that the turn failed.
        var deferred = new List<string>();
        HttpResponseMessage recovered;
        string recoveredBody;
        while (true)
        {
            recovered = await client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "back again?" }, Token);
            recoveredBody = await recovered.Content.ReadAsStringAsync(Token);
            if (recovered.StatusCode != HttpStatusCode.ServiceUnavailable || recovered.Headers.RetryAfter?.Delta is not { } wait
                || outage.Elapsed - restarted > TimeSpan.FromSeconds(30))
            {
                break;
            }

            deferred.Add(JsonNode.Parse(recoveredBody)!["code"]!.GetValue<string>());
            recovered.Dispose();
            await Task.Delay(wait, Token);
        }

        using var answered = recovered;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Letta killed: back after {restarted.TotalMilliseconds:0} ms, turn answered {(int)recovered.StatusCode} after {outage.ElapsedMilliseconds} ms"
            + (deferred.Count == 0 ? "" : $", following {deferred.Count} × 503 ({string.Join(", ", deferred.Distinct())})"));

        Assert.All(deferred, code => Assert.Equal("letta_unavailable", code));
        Assert.True(deferred.Count <= 3, $"recovery took {deferred.Count} retries");
        Assert.True(recovered.StatusCode == HttpStatusCode.OK, $"the turn after the restart answered {(int)recovered.StatusCode}: {recoveredBody}");
        Assert.Equal("completed", JsonNode.Parse(recoveredBody)!["status"]!.GetValue<string>());
        var lettaAgentAfter = (await client.GetFromJsonAsync<JsonObject>(agentPath, Token))!["lettaAgentId"]!.GetValue<string>();
        Assert.NotEqual(lettaAgentBefore, lettaAgentAfter);
    }

    private static async Task WaitUntilGoneAsync(Uri letta)
    {
        using var probe = new HttpClient { BaseAddress = letta, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var response = await probe.GetAsync("/v1/health/", Token);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !Token.IsCancellationRequested)
            {
                return;
            }

            await Task.Delay(100, Token);
        }

        Assert.Fail("LettaDev still answered a minute after it was stopped.");
    }

    private static async Task WaitUntilHealthyAsync(Uri letta)
    {
        using var probe = new HttpClient { BaseAddress = letta, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var response = await probe.GetAsync("/v1/health/", Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !Token.IsCancellationRequested)
            {
                // Not listening again yet.
            }

            await Task.Delay(100, Token);
        }

        Assert.Fail("LettaDev was not healthy again within a minute of its restart.");
    }

    private static async Task FailLettaAsync(HttpClient letta, int count)
    {
        using var response = await letta.PostAsJsonAsync("/_dev/fail", new { count, status = 503 }, CancellationToken.None);
        response.EnsureSuccessStatusCode();
    }
}
