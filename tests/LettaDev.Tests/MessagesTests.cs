namespace LettaPlatform.LettaDev.Tests;

public sealed class MessagesTests(LettaDevHost factory) : IClassFixture<LettaDevHost>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Send_NonStreaming_ReturnsReasoningThenAssistantQuotingPersona()
    {
        var id = (await _client.CreateAgentAsync(persona: "I am Dev, a test agent.\nSecond line.")).Str("id");

        var response = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("hello there", "otid-hello"));

        var messages = response["messages"]!.AsArray();
        Assert.Equal(["reasoning_message", "assistant_message"], messages.Select(m => m.Type()));
        var answer = messages[1]!.Str("content");
        Assert.Contains("\"hello there\"", answer);
        Assert.Contains("I am Dev, a test agent.", answer);
        Assert.DoesNotContain("Second line", answer);
        Assert.Equal("end_turn", response["stop_reason"]!.Str("stop_reason"));
        Assert.Equal("stop_reason", response["stop_reason"]!.Str("message_type"));
        Assert.Equal(1, response["usage"]!["step_count"]!.GetValue<int>());
        Assert.All(messages, m => Assert.StartsWith("run-", m.Str("run_id")));
    }

    [Fact]
    public async Task Send_Twice_UsageIsDeterministic()
    {
        var first = (await _client.CreateAgentAsync()).Str("id");
        var second = (await _client.CreateAgentAsync()).Str("id");

        var a = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{first}/messages", new JsonObject { ["input"] = "how are you today" });
        var b = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{second}/messages", new JsonObject { ["input"] = "how are you today" });

        Assert.Equal(a["usage"]!["total_tokens"]!.GetValue<int>(), b["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.Equal(4, a["usage"]!["prompt_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Remember_CallsMemoryToolAndUpdatesHumanBlock()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var response = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("remember I prefer tea"));
        var human = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{id}/core-memory/blocks/human");

        var messages = response["messages"]!.AsArray();
        Assert.Equal(["reasoning_message", "tool_call_message", "tool_return_message", "reasoning_message", "assistant_message"], messages.Select(m => m.Type()));
        Assert.Equal("memory_insert", messages[1]!["tool_call"]!.Str("name"));
        Assert.Equal(messages[1]!["tool_call"]!.Str("tool_call_id"), messages[2]!.Str("tool_call_id"));
        Assert.Equal("success", messages[2]!.Str("status"));
        Assert.Equal("Name: Ada\nI prefer tea", human.Str("value"));
        Assert.Equal(2, response["usage"]!["step_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stream_EmitsChunksThenStopReasonUsageAndDone()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var frames = await Sse.PostAsync(_client, $"/v1/agents/{id}/messages",
            new JsonObject { ["input"] = "hi", ["streaming"] = true, ["include_pings"] = false });

        Assert.Equal(["reasoning_message", "assistant_message", "stop_reason", "usage_statistics", "[DONE]"], frames.Select(f => f.Kind));
        Assert.Equal([1, 2], frames.Take(2).Select(f => f.Json!["seq_id"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Stream_WithStreamTokens_FragmentsShareOtidAndJoinToTheText()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var frames = await Sse.PostAsync(_client, $"/v1/agents/{id}/messages",
            new JsonObject { ["input"] = "tell me something", ["streaming"] = true, ["stream_tokens"] = true, ["include_pings"] = false });

        var assistant = frames.Where(f => f.Kind == "assistant_message").Select(f => f.Json!).ToList();
        Assert.True(assistant.Count > 3);
        Assert.Single(assistant.Select(f => f.Str("otid")).Distinct());
        Assert.Single(assistant.Select(f => f.Str("id")).Distinct());
        Assert.Equal(assistant.Count, assistant.Select(f => f["seq_id"]!.GetValue<int>()).Distinct().Count());
        var history = await _client.GetArrayAsync($"/v1/agents/{id}/messages?order=asc");
        Assert.Equal(history.Last()!.Str("content"), string.Concat(assistant.Select(f => f.Str("content"))));
    }

    [Fact]
    public async Task Stream_SlowStepWithPings_SendsPingFrames()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        await _client.SendJsonAsync(HttpMethod.Put, $"/_dev/agents/{id}/script", new JsonObject
        {
            ["steps"] = new JsonArray(new JsonObject { ["type"] = "delay", ["ms"] = 400 }, new JsonObject { ["type"] = "assistant", ["text"] = "done" }),
        });

        var frames = await Sse.PostAsync(_client, $"/v1/agents/{id}/messages", new JsonObject { ["input"] = "wait", ["streaming"] = true });

        var ping = frames.First(f => f.Kind == "ping").Json!;
        Assert.StartsWith("run-", ping.Str("run_id"));
        Assert.NotNull(ping["id"]);
        Assert.Equal("done", frames.Single(f => f.Kind == "assistant_message").Json!.Str("content"));
        Assert.Equal("[DONE]", frames.Last().Kind);
    }

    [Fact]
    public async Task Stream_ScriptedError_EndsWithStopReasonErrorEventAndDone()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        await _client.SendJsonAsync(HttpMethod.Put, $"/_dev/agents/{id}/script", new JsonObject
        {
            ["steps"] = new JsonArray(new JsonObject { ["type"] = "error", ["stop_reason"] = "llm_api_error", ["text"] = "provider down" }),
        });

        var frames = await Sse.PostAsync(_client, $"/v1/agents/{id}/messages", new JsonObject { ["input"] = "x", ["streaming"] = true, ["include_pings"] = false });

        Assert.Equal(["reasoning_message", "stop_reason", "error_message", "[DONE]"], frames.Select(f => f.Kind));
        Assert.Equal("llm_api_error", frames[1].Json!.Str("stop_reason"));
        Assert.Equal("error", frames[2].Event);
        Assert.Equal("provider down", frames[2].Json!.Str("message"));
    }

    [Fact]
    public async Task Send_StreamTokensWithoutStreaming_Returns422()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var body = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages",
            new JsonObject { ["input"] = "x", ["stream_tokens"] = true }, HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(body["detail"]);
    }

    [Fact]
    public async Task Send_RetryWithSameOtid_ReattachesToTheFirstRun()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        var otid = Guid.NewGuid().ToString();

        var first = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("once", otid));
        var retry = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("once", otid));
        var history = await _client.GetArrayAsync($"/v1/agents/{id}/messages");

        Assert.Equal(first["usage"]!["run_ids"]![0]!.GetValue<string>(), retry["usage"]!["run_ids"]![0]!.GetValue<string>());
        Assert.Single(history, m => m.Type() == "user_message");
        Assert.Equal(otid, history.Single(m => m.Type() == "user_message")!.Str("otid"));
    }

    [Fact]
    public async Task History_CursorsAndOrder_PageThroughMessages()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("one"));
        await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("two"));

        var all = await _client.GetArrayAsync($"/v1/agents/{id}/messages?order=asc");
        var newest = await _client.GetArrayAsync($"/v1/agents/{id}/messages?limit=2");
        var older = await _client.GetArrayAsync($"/v1/agents/{id}/messages?limit=2&after={newest[1].Str("id")}");

        Assert.Equal(6, all.Count);
        Assert.Equal("one", all[0]!.Str("content"));
        Assert.Equal([all[5].Str("id"), all[4].Str("id")], newest.Select(m => m.Str("id")));
        Assert.Equal([all[3].Str("id"), all[2].Str("id")], older.Select(m => m.Str("id")));
    }

    [Fact]
    public async Task Send_ContentParts_AreReadAsText()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        var body = new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "from parts" }),
            }),
        };

        var response = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", body);

        Assert.Contains("\"from parts\"", response["messages"]![1]!.Str("content"));
    }

    [Fact]
    public async Task Fail_NextRequests_Answer503ThenRecover()
    {
        await _client.SendJsonAsync(HttpMethod.Post, "/_dev/fail", new JsonObject { ["count"] = 1 });

        var failed = await _client.SendJsonAsync(HttpMethod.Get, "/v1/tools/", expected: HttpStatusCode.ServiceUnavailable);
        var recovered = await _client.GetArrayAsync("/v1/tools/");

        Assert.NotNull(failed["detail"]);
        Assert.NotEmpty(recovered);
    }
}
