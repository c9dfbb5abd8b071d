namespace LettaPlatform.Chat.Api.Tests;

public sealed class IsolationTests(ChatFixture fixture)
{
    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "" },
        { "PATCH", "" },
        { "DELETE", "" },
        { "GET", "/messages" },
        { "POST", "/messages" },
        { "POST", "/messages/stream" },
        { "POST", "/approvals" },
        { "POST", "/approvals/stream" },
        { "GET", "/stream" },
        { "POST", "/turns/cancel" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AnotherUsersSession_AnyRoute_Answers404WithoutContent(string method, string suffix)
    {
        using var alice = new ChatClient(fixture.Chat.CreateClientFor($"alice-{Guid.NewGuid():N}"));
        using var bob = new ChatClient(fixture.Chat.CreateClientFor($"bob-{Guid.NewGuid():N}"));
        var sessionId = await alice.CreateSessionIdAsync();
        await alice.SendAsync(sessionId, "secret plans");

        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/chat/sessions/{sessionId}{suffix}");
        if (method is "POST" or "PATCH")
        {
            request.Content = JsonContent.Create(new { content = "hi", title = "mine now", toolCallId = "call_x", approve = true });
        }

        using var response = await bob.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("secret", body, StringComparison.Ordinal);
        var stillThere = await alice.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", TestContext.Current.CancellationToken);
        Assert.Equal(2, stillThere!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task ListSessions_TwoUsers_EachSeesOnlyTheirOwn()
    {
        using var alice = new ChatClient(fixture.Chat.CreateClientFor($"alice-{Guid.NewGuid():N}"));
        using var bob = new ChatClient(fixture.Chat.CreateClientFor($"bob-{Guid.NewGuid():N}"));
        var aliceSession = await alice.CreateSessionIdAsync();
        var bobSession = await bob.CreateSessionIdAsync();

        var list = await bob.Http.GetFromJsonAsync<JsonObject>("/api/chat/sessions", TestContext.Current.CancellationToken);

        var ids = list!["items"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToList();
        Assert.Equal([bobSession], ids);
        Assert.DoesNotContain(aliceSession, ids);
    }

    [Fact]
    public async Task AnyRoute_WithoutToken_Answers401()
    {
        using var anonymous = fixture.Chat.CreateClient();

        using var response = await anonymous.GetAsync("/api/chat/sessions", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
