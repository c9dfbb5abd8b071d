namespace LettaPlatform.LettaDev.Tests;

public sealed class RunsTests(LettaDevHost factory) : IClassFixture<LettaDevHost>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task ScriptAsync(string agentId, params JsonObject[] steps) =>
        await _client.SendJsonAsync(HttpMethod.Put, $"/_dev/agents/{agentId}/script", new JsonObject { ["steps"] = new JsonArray(steps) });

    /// <summary>The user message is stored when the run starts, so its presence means the turn is under way.</summary>
    private async Task WaitUntilStartedAsync(string agentId)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await _client.GetArrayAsync($"/v1/agents/{agentId}/messages")).Any(m => m.Type() == "user_message"))
            {
                return;
            }
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.Fail("The turn did not start");
    }

    [Fact]
    public async Task Resume_StartingAfter_ReplaysOnlyLaterFrames()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        var frames = await Sse.PostAsync(_client, $"/v1/agents/{id}/messages",
            new JsonObject { ["input"] = "remember resume works", ["streaming"] = true, ["include_pings"] = false });
        var runId = frames[0].Json!.Str("run_id");
        var seqs = frames.Where(f => f.Json?["seq_id"] is not null && f.Kind != "stop_reason").Select(f => f.Json!["seq_id"]!.GetValue<int>()).ToList();

        var resumed = await Sse.PostAsync(_client, $"/v1/runs/{runId}/stream", new JsonObject { ["starting_after"] = seqs[1], ["include_pings"] = false });

        Assert.Equal(frames.Skip(2).Select(f => f.Data), resumed.Select(f => f.Data));
        Assert.Equal("[DONE]", resumed.Last().Kind);
    }

    [Fact]
    public async Task Run_AfterTurn_IsCompletedWithItsMessages()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        var response = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("hi"));
        var runId = response["usage"]!["run_ids"]![0]!.GetValue<string>();

        var run = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/runs/{runId}");
        var messages = await _client.GetArrayAsync($"/v1/runs/{runId}/messages");
        var agent = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{id}");

        Assert.Equal("completed", run.Str("status"));
        Assert.Equal("end_turn", run.Str("stop_reason"));
        Assert.Equal(id, run.Str("agent_id"));
        Assert.Equal(["user_message", "reasoning_message", "assistant_message"], messages.Select(m => m.Type()));
        Assert.Equal("end_turn", agent.Str("last_stop_reason"));
    }

    [Fact]
    public async Task ConcurrentSends_ToOneAgent_SecondGets409Busy()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        await ScriptAsync(id, new JsonObject { ["type"] = "delay", ["ms"] = 1500 }, new JsonObject { ["type"] = "assistant", ["text"] = "slow" });

        var slow = _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("first"));
        await WaitUntilStartedAsync(id);
        var busy = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("second"), HttpStatusCode.Conflict);
        var done = await slow;

        Assert.StartsWith("run-", busy.Str("run_id"));
        Assert.NotNull(busy["detail"]);
        Assert.Equal("slow", done["messages"]!.AsArray().Last()!.Str("content"));
    }

    [Fact]
    public async Task ManyParallelSends_ExactlyOneRuns_OthersAre409()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        await ScriptAsync(id, new JsonObject { ["type"] = "delay", ["ms"] = 1500 }, new JsonObject { ["type"] = "assistant", ["text"] = "ok" });

        var sends = Enumerable.Range(0, 8).Select(async i =>
        {
            using var response = await _client.PostAsJsonAsync($"/v1/agents/{id}/messages", Http.UserMessage($"m{i}"), TestContext.Current.CancellationToken);
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(sends);

        Assert.Single(statuses, s => s == HttpStatusCode.OK);
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Cancel_RunningTurn_StopsWithCancelled()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        await ScriptAsync(id, new JsonObject { ["type"] = "delay", ["ms"] = 5000 }, new JsonObject { ["type"] = "assistant", ["text"] = "never" });

        var turn = _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("long"));
        await WaitUntilStartedAsync(id);
        var cancelled = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages/cancel", new JsonObject());
        var response = await turn;
        var nothing = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages/cancel", new JsonObject(), HttpStatusCode.Conflict);

        Assert.Single(cancelled);
        Assert.Equal("cancelled", response["stop_reason"]!.Str("stop_reason"));
        Assert.NotNull(nothing["detail"]);
    }

    [Fact]
    public async Task Run_UnknownId_Returns404()
    {
        var body = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/runs/run-{Guid.NewGuid()}", expected: HttpStatusCode.NotFound);

        Assert.Equal("Run not found", body.Str("detail"));
    }
}
