using LettaPlatform.Chat.Api.Turns;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

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

    [Theory]
    [InlineData("/messages")]
    [InlineData("/messages/stream")]
    [InlineData("/approvals")]
    public async Task AnotherUsersSession_WhileItsOwnTurnHoldsTheLock_Answers404NotTurnInProgress_AndLeavesTheLock(string suffix)
    {
        using var alice = new ChatClient(fixture.Chat.CreateClientFor($"alice-{Guid.NewGuid():N}"));
        using var bob = new ChatClient(fixture.Chat.CreateClientFor($"bob-{Guid.NewGuid():N}"));
        var sessionId = Guid.Parse(await alice.CreateSessionIdAsync());
        var redis = fixture.Chat.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var alicesTurn = Guid.NewGuid().ToString();
        Assert.True(await redis.LockTakeAsync(TurnLock.Key(sessionId), alicesTurn, TimeSpan.FromMinutes(1)));
        try
        {
            // A 409 here would tell Bob that the session exists and is busy.
            using var response = await bob.Http.PostAsJsonAsync(
                $"/api/chat/sessions/{sessionId}{suffix}", new { content = "hi", toolCallId = "call_x", approve = true }, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(alicesTurn, (string?)await redis.LockQueryAsync(TurnLock.Key(sessionId)));
        }
        finally
        {
            await redis.LockReleaseAsync(TurnLock.Key(sessionId), alicesTurn);
        }
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
