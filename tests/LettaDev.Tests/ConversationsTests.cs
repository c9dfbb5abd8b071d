namespace LettaPlatform.LettaDev.Tests;

public sealed class ConversationsTests(LettaDevHost factory) : IClassFixture<LettaDevHost>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Conversations_KeepSeparateHistories_ShareMemory()
    {
        var agentId = (await _client.CreateAgentAsync()).Str("id");
        var first = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/conversations/?agent_id={agentId}", new JsonObject());
        var second = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/conversations/?agent_id={agentId}", new JsonObject());

        var streamed = await Sse.PostAsync(_client, $"/v1/conversations/{first.Str("id")}/messages", new JsonObject { ["input"] = "remember I live in Oslo", ["include_pings"] = false });
        await _client.SendJsonAsync(HttpMethod.Post, $"/v1/conversations/{second.Str("id")}/messages", new JsonObject { ["input"] = "hello second", ["streaming"] = false });
        var firstHistory = await _client.GetArrayAsync($"/v1/conversations/{first.Str("id")}/messages?order=asc");
        var secondHistory = await _client.GetArrayAsync($"/v1/conversations/{second.Str("id")}/messages?order=asc");
        var mainHistory = await _client.GetArrayAsync($"/v1/agents/{agentId}/messages");
        var human = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{agentId}/core-memory/blocks/human");
        var listed = await _client.GetArrayAsync($"/v1/conversations/?agent_id={agentId}");

        Assert.StartsWith("conv-", first.Str("id"));
        Assert.Equal("[DONE]", streamed.Last().Kind);
        Assert.Equal("remember I live in Oslo", firstHistory[0]!.Str("content"));
        Assert.Equal("hello second", secondHistory[0]!.Str("content"));
        Assert.DoesNotContain(secondHistory, m => m!["content"]?.ToJsonString().Contains("Oslo") == true && m.Type() == "user_message");
        Assert.Empty(mainHistory);
        Assert.EndsWith("I live in Oslo", human.Str("value"));
        Assert.Equal(2, listed.Count);
    }

    [Fact]
    public async Task DefaultConversation_WithAgentId_IsTheMainThread()
    {
        var agentId = (await _client.CreateAgentAsync()).Str("id");

        await _client.SendJsonAsync(HttpMethod.Post, "/v1/conversations/default/messages",
            new JsonObject { ["input"] = "main thread", ["streaming"] = false, ["agent_id"] = agentId });
        var history = await _client.GetArrayAsync($"/v1/agents/{agentId}/messages?order=asc");

        Assert.Equal("main thread", history[0]!.Str("content"));
    }

    [Fact]
    public async Task Conversation_Get_UnknownId_Returns404()
    {
        var body = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/conversations/conv-{Guid.NewGuid()}", expected: HttpStatusCode.NotFound);

        Assert.Equal("Conversation not found", body.Str("detail"));
    }
}
