namespace LettaPlatform.Chat.Api.Tests;

/// <summary>Idempotency-Key on turns: a retried send replays the first answer and runs no second turn.</summary>
public sealed class IdempotencyTests(ChatFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendMessage_SameKeySameBody_ReplaysTheFirstAnswerAndRunsOneTurn()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();
        var key = Guid.NewGuid().ToString();

        var (firstStatus, firstBody) = await SendAsync(client, sessionId, "hello once", key);
        var (secondStatus, secondBody) = await SendAsync(client, sessionId, "hello once", key);
        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);

        Assert.Equal(HttpStatusCode.OK, firstStatus);
        Assert.Equal((firstStatus, firstBody), (secondStatus, secondBody));
        Assert.Single(history!["items"]!.AsArray(), m => m!["role"]!.GetValue<string>() == "user");
    }

    [Fact]
    public async Task SendMessage_SameKeyDifferentBody_Answers422AndRunsNothing()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();
        var key = Guid.NewGuid().ToString();
        await SendAsync(client, sessionId, "first", key);

        var (status, body) = await SendAsync(client, sessionId, "second", key);
        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("idempotency_key_reused", JsonNode.Parse(body)!["code"]!.GetValue<string>());
        Assert.DoesNotContain(history!["items"]!.AsArray(), m => m!["content"]!.GetValue<string>() == "second");
    }

    [Fact]
    public async Task StreamMessage_SameKey_ReplaysTheSameEventStream()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();
        var key = Guid.NewGuid().ToString();

        var first = await StreamAsync(client, sessionId, key);
        var second = await StreamAsync(client, sessionId, key);
        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);

        Assert.Contains("event: done", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
        Assert.Single(history!["items"]!.AsArray(), m => m!["role"]!.GetValue<string>() == "user");
    }

    [Fact]
    public async Task SendMessage_SameKeyOtherUser_IsAnIndependentRequest()
    {
        var key = Guid.NewGuid().ToString();
        using var alice = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        using var bob = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var aliceSession = await alice.CreateSessionIdAsync();
        var bobSession = await bob.CreateSessionIdAsync();

        await SendAsync(alice, aliceSession, "alice's", key);
        var (status, _) = await SendAsync(bob, bobSession, "bob's", key);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(ChatClient client, string sessionId, string content, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/sessions/{sessionId}/messages") { Content = JsonContent.Create(new { content }) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.Http.SendAsync(request, Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    private static async Task<string> StreamAsync(ChatClient client, string sessionId, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/sessions/{sessionId}/messages/stream") { Content = JsonContent.Create(new { content = "stream once" }) };
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.Http.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Token);
    }
}
