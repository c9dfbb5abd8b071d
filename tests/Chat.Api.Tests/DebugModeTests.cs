using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.ServiceDefaults.Auth;

namespace LettaPlatform.Chat.Api.Tests;

/// <summary>Debug mode for one conversation: an admin switches on verbose, redacted capture of one session for a limited time.</summary>
public sealed class DebugModeTests(ChatFixture fixture)
{
    /// <summary>What chat-api authenticates to Letta with in this test: a credential that must never be captured.</summary>
    private const string LettaKey = "sk-letta-debug-test-0123456789abcdefXYZ";

    /// <summary>A GitHub token a person pastes into a message: it reaches Letta's request body, and must not reach the capture.</summary>
    private const string GitHubToken = "ghp_DebugModeTestToken0123456789abcdefABCD";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DebugOn_TheTurnsTrace_NamesTheCaptureRoute_AnotherSessionsTraceDoesNot()
    {
        var tagged = new System.Collections.Concurrent.ConcurrentBag<(string TraceId, string Capture)>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem(Debug.DebugCapture.TraceTag) is string capture)
                {
                    tagged.Add((activity.TraceId.ToString(), capture));
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var chat = fixture.Chat;
        using var client = new ChatClient(chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        using var admin = AdminClient(chat);
        var sessionId = await client.CreateSessionIdAsync();
        var quietSessionId = await client.CreateSessionIdAsync();
        await SendAsync(admin, HttpMethod.Put, sessionId, new { durationSeconds = 60 }, HttpStatusCode.OK);

        await client.SendAsync(sessionId, "hello");
        await client.SendAsync(quietSessionId, "hello");

        var (_, capture) = await ReadAsync(admin, sessionId);
        var traceIds = capture["entries"]!.AsArray().Select(e => e!["traceId"]?.GetValue<string>()).OfType<string>().Distinct().ToList();
        Assert.NotEmpty(traceIds);
        Assert.Contains(tagged, t => traceIds.Contains(t.TraceId) && t.Capture == $"/api/chat/admin/sessions/{sessionId}/debug");
        Assert.DoesNotContain(tagged, t => t.Capture.Contains(quietSessionId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DebugOn_ATurn_RecordsLettaTrafficToolDecisionsAndTimingsWithSecretsRedacted()
    {
        await using var chat = fixture.CreateChat(new Dictionary<string, string?> { ["ConnectionStrings:letta"] = $"Endpoint={fixture.Letta.Endpoint};Key={LettaKey}" });
        await chat.StartAsync();
        var owner = $"user-{Guid.NewGuid():N}";
        using var client = new ChatClient(chat.CreateClientFor(owner));
        using var admin = AdminClient(chat);
        var sessionId = await client.CreateSessionIdAsync();
        var otherSessionId = await new ChatClient(chat.CreateClientFor($"user-{Guid.NewGuid():N}")).CreateSessionIdAsync();

        var enabled = await SendAsync(admin, HttpMethod.Put, sessionId, new { durationSeconds = 60 }, HttpStatusCode.OK);
        Assert.True(enabled["enabled"]!.GetValue<bool>());
        await client.SendAsync(sessionId, $"list my tasks; my GitHub token is {GitHubToken}");

        var (text, capture) = await ReadAsync(admin, sessionId);
        Assert.DoesNotContain(GitHubToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(LettaKey, text, StringComparison.Ordinal);
        Assert.Contains("[redacted]", text, StringComparison.Ordinal);
        var entries = capture["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var requests = entries.Where(e => Kind(e) == "letta_request").ToList();
        Assert.NotEmpty(requests);
        Assert.Contains(requests, r => r["data"]!["headers"]?["Authorization"]?.GetValue<string>() == "[redacted]");
        Assert.Contains(requests, r => r["data"]!["body"]!.GetValue<string>().Contains("list my tasks", StringComparison.Ordinal));
        Assert.Contains(entries, e => Kind(e) == "letta_response" && e["data"]!["status"]!.GetValue<int>() == 200 && e["elapsedMs"]!.GetValue<double>() >= 0);
        var tool = Assert.Single(entries, e => Kind(e) == "tool_call");
        Assert.Equal(("query_tasks", "allowed_by_guard", "success"), (tool["name"]!.GetValue<string>(), tool["data"]!["decision"]!.GetValue<string>(), tool["data"]!["status"]!.GetValue<string>()));
        var finished = Assert.Single(entries, e => Kind(e) == "turn" && e["name"]!.GetValue<string>() == "finished");
        Assert.True(finished["elapsedMs"]!.GetValue<double>() > 0);
        var traceIds = entries.Select(e => e["traceId"]?.GetValue<string>()).Distinct().ToList();
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(traceIds)!);
        Assert.Single(entries.Select(e => e["turnId"]?.GetValue<string>()).Where(id => id is not null).Distinct());

        // Only that session is captured, and only admins may read or switch it.
        Assert.Empty((await ReadAsync(admin, otherSessionId)).Capture["entries"]!.AsArray());
        using var ownerHttp = chat.CreateClientFor(owner);
        await SendAsync(ownerHttp, HttpMethod.Get, sessionId, null, HttpStatusCode.Forbidden);
        await SendAsync(ownerHttp, HttpMethod.Put, sessionId, new { durationSeconds = 60 }, HttpStatusCode.Forbidden);
        await SendAsync(ownerHttp, HttpMethod.Delete, sessionId, null, HttpStatusCode.Forbidden);
        await SendAsync(admin, HttpMethod.Delete, sessionId, null, HttpStatusCode.NoContent);
        Assert.False((await ReadAsync(admin, sessionId)).Capture["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DebugOn_ShortWindow_SwitchesItselfOffAndCapturesNothingAfter()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        using var admin = AdminClient(fixture.Chat);
        var sessionId = await client.CreateSessionIdAsync();

        await SendAsync(admin, HttpMethod.Put, sessionId, new { durationSeconds = 1 }, HttpStatusCode.OK);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await ReadAsync(admin, sessionId)).Capture["enabled"]!.GetValue<bool>())
        {
            Assert.True(DateTime.UtcNow < deadline, "debug capture did not switch itself off");
            await Task.Delay(200, Ct);
        }

        await client.SendAsync(sessionId, "hello");

        Assert.Empty((await ReadAsync(admin, sessionId)).Capture["entries"]!.AsArray());
    }

    [Fact]
    public async Task DebugApi_BadInput_Answers4xxAndSwitchesNothingOn()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        using var admin = AdminClient(fixture.Chat);
        var sessionId = await client.CreateSessionIdAsync();

        await SendAsync(admin, HttpMethod.Put, sessionId, new { durationSeconds = 0 }, HttpStatusCode.BadRequest);
        await SendAsync(admin, HttpMethod.Put, sessionId, new { durationSeconds = 3601 }, HttpStatusCode.BadRequest);
        await SendAsync(admin, HttpMethod.Put, sessionId, new { }, HttpStatusCode.BadRequest);
        await SendAsync(admin, HttpMethod.Put, Guid.NewGuid().ToString(), new { durationSeconds = 60 }, HttpStatusCode.NotFound);
        await SendAsync(admin, HttpMethod.Get, $"{sessionId}?limit=0", null, HttpStatusCode.BadRequest);

        Assert.False((await ReadAsync(admin, sessionId)).Capture["enabled"]!.GetValue<bool>());
    }

    private static string Kind(JsonObject entry) => entry["kind"]!.GetValue<string>();

    private static HttpClient AdminClient(ChatApiHost chat)
    {
        var client = chat.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new DevTokenIssuer(ChatApiHost.SigningKey).CreateToken("ops-admin", roles: [Roles.Admin]).AccessToken);
        return client;
    }

    private static async Task<(string Text, JsonObject Capture)> ReadAsync(HttpClient admin, string sessionId)
    {
        using var response = await admin.GetAsync($"/api/chat/admin/sessions/{sessionId}/debug", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return (text, JsonNode.Parse(text)!.AsObject());
    }

    private static async Task<JsonObject> SendAsync(HttpClient http, HttpMethod method, string sessionAndQuery, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, $"/api/chat/admin/sessions/{sessionAndQuery.Replace("?", "/debug?", StringComparison.Ordinal)}{(sessionAndQuery.Contains('?', StringComparison.Ordinal) ? "" : "/debug")}");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{method} {request.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }
}
