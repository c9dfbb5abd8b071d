using System.Text;

namespace LettaPlatform.LettaDev.Tests;

public sealed class ProtocolTests(LettaDevHost factory) : IClassFixture<LettaDevHost>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task MalformedJsonBody_Returns422WithDetail()
    {
        using var content = new StringContent("{not json", Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/v1/agents/", content, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(body["detail"]);
    }

    [Fact]
    public async Task DeprecatedStreamEndpoint_AlwaysStreams()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var frames = await Sse.PostAsync(_client, $"/v1/agents/{id}/messages/stream", new JsonObject { ["input"] = "hi", ["include_pings"] = false });

        Assert.Equal(["reasoning_message", "assistant_message", "stop_reason", "usage_statistics", "[DONE]"], frames.Select(f => f.Kind));
    }

    [Fact]
    public async Task ConversationStream_Resume_ReplaysLastRun()
    {
        var agentId = (await _client.CreateAgentAsync()).Str("id");
        var conversation = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/conversations/?agent_id={agentId}", new JsonObject());
        var id = conversation.Str("id");
        var original = await Sse.PostAsync(_client, $"/v1/conversations/{id}/messages", new JsonObject { ["input"] = "hi", ["include_pings"] = false });

        var resumed = await Sse.PostAsync(_client, $"/v1/conversations/{id}/stream", new JsonObject { ["starting_after"] = 1, ["include_pings"] = false });

        Assert.Equal(original.Skip(1).Select(f => f.Data), resumed.Select(f => f.Data));
    }

    [Fact]
    public async Task IncludeReturnMessageTypes_FiltersTheAnswer()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        var body = Http.UserMessage("hello");
        body["include_return_message_types"] = new JsonArray("assistant_message");

        var response = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", body);

        Assert.Equal(["assistant_message"], response["messages"]!.AsArray().Select(m => m.Type()));
    }

    [Fact]
    public async Task MissingMessages_Returns422()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var body = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", new JsonObject(), HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(body["detail"]);
    }

    [Fact]
    public async Task UnknownSlashTool_AnswersWithoutCallingAnything()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var response = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("/tool nothing_here {}"));

        Assert.Equal("I don't have a tool named nothing_here.", response["messages"]!.AsArray().Last()!.Str("content"));
    }
}

public sealed class AsyncTests(LettaDevHost factory) : IClassFixture<LettaDevHost>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Async_ReturnsRun_ThatCompletes()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var run = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages/async", Http.UserMessage("later"));
        JsonObject polled;
        var attempts = 0;
        do
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
            polled = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/runs/{run.Str("id")}");
        }
        while (polled.Str("status") == "running" && ++attempts < 300);

        Assert.StartsWith("run-", run.Str("id"));
        Assert.Equal("completed", polled.Str("status"));
        Assert.Equal("end_turn", polled.Str("stop_reason"));
    }

    [Fact]
    public async Task CoreMemory_ReturnsMemoryWithBlocks()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var memory = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{id}/core-memory");

        Assert.Equal(["persona", "human"], memory["blocks"]!.AsArray().Select(b => b.Str("label")));
    }
}
