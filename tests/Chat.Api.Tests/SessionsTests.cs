namespace LettaPlatform.Chat.Api.Tests;

public sealed class SessionsTests(ChatFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateSession_ByTemplate_ProvisionsTheAgentOnceAndReusesIt()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));

        var first = await client.CreateSessionAsync(title: "First");
        var second = await client.CreateSessionAsync();

        Assert.Equal("First", first["title"]!.GetValue<string>());
        Assert.Equal(StandIns.Template, first["templateId"]!.GetValue<string>());
        Assert.Equal(first["agentId"]!.GetValue<string>(), second["agentId"]!.GetValue<string>());
        Assert.NotEqual(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateSession_ByAgentId_UsesThatAgent()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var agentId = (await client.CreateSessionAsync())["agentId"]!.GetValue<string>();

        using var response = await client.Http.PostAsJsonAsync("/api/chat/sessions", new { agentId }, Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(agentId, (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!["agentId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"templateId":"no-such-template"}""", HttpStatusCode.NotFound)]
    [InlineData("""{"agentId":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}""", HttpStatusCode.NotFound)]
    [InlineData("""{}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"templateId":"assistant","agentId":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}""", HttpStatusCode.BadRequest)]
    public async Task CreateSession_UnknownOrAmbiguousAgent_AnswersProblem(string body, HttpStatusCode expected)
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));

        using var response = await client.Http.PostAsync("/api/chat/sessions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Token);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RenameSession_NewTitle_IsReturnedAndListed()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();

        using var response = await client.Http.PatchAsJsonAsync($"/api/chat/sessions/{sessionId}", new { title = "Renamed" }, Token);
        var list = await client.Http.GetFromJsonAsync<JsonObject>("/api/chat/sessions", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Renamed", (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!["title"]!.GetValue<string>());
        Assert.Equal("Renamed", list!["items"]![0]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeleteSession_Existing_RemovesItAndItsHistory()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();
        await client.SendAsync(sessionId, "hello");

        using var deleted = await client.Http.DeleteAsync($"/api/chat/sessions/{sessionId}", Token);
        using var get = await client.Http.GetAsync($"/api/chat/sessions/{sessionId}", Token);
        using var messages = await client.Http.GetAsync($"/api/chat/sessions/{sessionId}/messages", Token);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, messages.StatusCode);
    }

    [Fact]
    public async Task ListSessions_MoreThanLimit_PagesWithCursor()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await client.CreateSessionIdAsync());
        }

        var first = await client.Http.GetFromJsonAsync<JsonObject>("/api/chat/sessions?limit=2", Token);
        var second = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions?limit=2&cursor={first!["nextCursor"]}", Token);

        var ids = first["items"]!.AsArray().Concat(second!["items"]!.AsArray()).Select(s => s!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(Enumerable.Reverse(created), ids);
        Assert.Null(second["nextCursor"]);
    }

    [Fact]
    public async Task OpenApiDocument_Anonymous_ListsTheChatRoutes()
    {
        using var anonymous = fixture.Chat.CreateClient();

        var document = await anonymous.GetFromJsonAsync<JsonObject>("/openapi/v1.json", Token);

        var paths = document!["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/chat/sessions", paths);
        Assert.Contains("/api/chat/sessions/{id}/messages/stream", paths);
        Assert.Contains("/api/chat/sessions/{id}/approvals", paths);
    }
}
