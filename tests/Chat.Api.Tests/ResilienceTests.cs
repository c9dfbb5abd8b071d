using System.Diagnostics;
using LettaPlatform.Chat.Api.Consumers;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Hosting;
using LettaPlatform.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.Chat.Api.Tests;

/// <summary>Runs alone: its outage tests make the shared LettaDev fail every request for a moment, which would fail other classes' turns.</summary>
[CollectionDefinition(nameof(LettaFailureCollection), DisableParallelization = true)]
public sealed class LettaFailureCollection;

[Collection(nameof(LettaFailureCollection))]
public sealed class ResilienceTests(ChatFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<(ChatClient Client, string SessionId, string LettaAgentId)> NewSessionAsync()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        var client = new ChatClient(fixture.Chat.CreateClientFor(userId));
        var sessionId = await client.CreateSessionIdAsync();
        return (client, sessionId, fixture.StandIns.Agents[(userId, StandIns.Template)].LettaAgentId);
    }

    [Fact]
    public async Task SendMessage_WhileATurnRuns_Answers409WithStableCode()
    {
        var (client, sessionId, lettaAgentId) = await NewSessionAsync();
        using var _ = client;
        await fixture.Letta.ScriptAsync(lettaAgentId, """[{"type":"tool_call","name":"query_tasks","arguments":{}},{"type":"delay","ms":1500},{"type":"assistant","text":"slow answer"}]""");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/sessions/{sessionId}/messages/stream") { Content = JsonContent.Create(new { content = "take your time" }) };
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Token));
        while (await ChatClient.ReadEventAsync(reader) is { Type: not "tool_result" })
        {
        }

        using var second = await client.Http.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "me too" }, Token);
        var problem = await second.Content.ReadFromJsonAsync<JsonObject>(Token);
        var rest = ChatClient.Parse(await reader.ReadToEndAsync(Token));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("turn_in_progress", problem!["code"]!.GetValue<string>());
        Assert.Equal("https://lettaplatform.dev/problems/turn-in-progress", problem["type"]!.GetValue<string>());
        Assert.Equal("completed", rest[^1].Str("status"));
    }

    [Fact]
    public async Task FollowTurn_ReconnectWithLastEventId_GetsEverythingMissedThenTheLiveRest()
    {
        var (client, sessionId, lettaAgentId) = await NewSessionAsync();
        using var _ = client;
        await fixture.Letta.ScriptAsync(lettaAgentId, """[{"type":"tool_call","name":"query_tasks","arguments":{}},{"type":"delay","ms":800},{"type":"assistant","text":"the rest"}]""");

        var firstPart = new List<SseEvent>();
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/sessions/{sessionId}/messages/stream") { Content = JsonContent.Create(new { content = "go" }) })
        using (var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token))
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Token)))
        {
            while (await ChatClient.ReadEventAsync(reader) is { } received)
            {
                firstPart.Add(received);
                if (received.Type == "tool_call")
                {
                    break;
                }
            }
        }

        var lastSeen = firstPart[^1].Id!;
        using var resume = new HttpRequestMessage(HttpMethod.Get, $"/api/chat/sessions/{sessionId}/stream");
        resume.Headers.Add("Last-Event-ID", lastSeen);
        using var resumed = await client.Http.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, Token);
        var rest = ChatClient.Parse(await resumed.Content.ReadAsStringAsync(Token));
        var replay = ChatClient.Parse(await client.Http.GetStringAsync($"/api/chat/sessions/{sessionId}/stream", Token));

        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.DoesNotContain(firstPart, e => e.Type == "done");
        Assert.Equal("done", rest[^1].Type);
        Assert.Contains(rest, e => e.Type == "tool_result");
        Assert.Contains(rest, e => e.Type == "assistant" && e.Str("text").Contains("rest", StringComparison.Ordinal));
        Assert.Equal(replay.Select(e => e.Id), firstPart.Concat(rest).Select(e => e.Id));
    }

    [Fact]
    public async Task SendMessage_LettaLostTheAgent_ReResolvesWithLettaAgentMissingAndContinuesInANewConversation()
    {
        var (client, sessionId, lettaAgentId) = await NewSessionAsync();
        using var _ = client;
        await client.SendAsync(sessionId, "first");
        using (var deleted = await fixture.Letta.Http.DeleteAsync($"/v1/agents/{lettaAgentId}", Token))
        {
            deleted.EnsureSuccessStatusCode();
        }

        var answer = await client.SendAsync(sessionId, "second");

        Assert.Equal("completed", answer["status"]!.GetValue<string>());
        var agentId = (await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}", Token))!["agentId"]!.GetValue<string>();
        var agent = fixture.StandIns.Agents.Values.Single(a => a.AgentId.ToString() == agentId);
        Assert.NotEqual(lettaAgentId, agent.LettaAgentId);
        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);
        Assert.Equal(4, history!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task SendMessage_LettaLostTheAgentAndCannotRestoreItYet_Answers503RetryAfterThenRecovers()
    {
        var (client, sessionId, lettaAgentId) = await NewSessionAsync();
        using var owner = client;
        await client.SendAsync(sessionId, "first");
        var agentId = Guid.Parse((await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}", Token))!["agentId"]!.GetValue<string>());
        using (var deleted = await fixture.Letta.Http.DeleteAsync($"/v1/agents/{lettaAgentId}", Token))
        {
            deleted.EnsureSuccessStatusCode();
        }

        fixture.StandIns.RuntimeUnavailable[agentId] = true;
        HttpResponseMessage deferred;
        try
        {
            deferred = await client.Http.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "second" }, Token);
        }
        finally
        {
            fixture.StandIns.RuntimeUnavailable.TryRemove(agentId, out _);
        }

        using (deferred)
        {
            var problem = await deferred.Content.ReadFromJsonAsync<JsonObject>(Token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, deferred.StatusCode);
            Assert.NotNull(deferred.Headers.RetryAfter);
            Assert.Equal("letta_unavailable", problem!["code"]!.GetValue<string>());
        }

        Assert.Equal(2, (await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token))!["items"]!.AsArray().Count);
        var answer = await client.SendAsync(sessionId, "second, again");
        Assert.Equal("completed", answer["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendMessage_AfterAgentMigrated_TalksToTheNewLettaAgent()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        using var client = new ChatClient(fixture.Chat.CreateClientFor(userId));
        var sessionId = await client.CreateSessionIdAsync();
        await client.SendAsync(sessionId, "first");
        var before = fixture.StandIns.Agents[(userId, StandIns.Template)];
        var moved = before with { LettaAgentId = await fixture.StandIns.CreateLettaAgentAsync(userId, StandIns.Template) };
        fixture.StandIns.Agents[(userId, StandIns.Template)] = moved;

        var bus = fixture.Chat.Services.GetRequiredService<IBus>();
        var queue = fixture.Chat.Services.GetRequiredService<QueueNames>().Formatter.Consumer<AgentChangedConsumer>();
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(new AgentMigrated
        {
            AgentId = before.AgentId,
            UserId = userId,
            FromLettaInstance = before.LettaInstance,
            FromLettaAgentId = before.LettaAgentId,
            ToLettaInstance = moved.LettaInstance,
            ToLettaAgentId = moved.LettaAgentId,
            Reason = "moved",
            MigratedAt = DateTimeOffset.UtcNow,
        }, Token);

        // The old agent still answers, so turns succeed either way; once the message is consumed they reach the new one
        // (on a loaded CI machine the consumer and each turn can take several seconds).
        await Eventually.GetAsync(async () =>
        {
            await client.SendAsync(sessionId, "where are you?");
            var conversations = await fixture.Letta.Http.GetFromJsonAsync<JsonArray>($"/v1/conversations/?agent_id={moved.LettaAgentId}", Token);
            return conversations!.Count > 0 ? conversations : null;
        }, seconds: 60);
    }

    [Fact]
    public async Task FollowTurn_NoTurnYet_Answers204()
    {
        var (client, sessionId, _) = await NewSessionAsync();
        using var __ = client;

        using var response = await client.Http.GetAsync($"/api/chat/sessions/{sessionId}/stream", Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task StreamMessage_LettaFailing_Answers503WithRetryAfterFastThenRecovers()
    {
        var (client, sessionId, _) = await NewSessionAsync();
        using var __ = client;
        await client.SendAsync(sessionId, "before the outage");
        await fixture.Letta.FailNextAsync(1000);
        HttpResponseMessage failed;
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/sessions/{sessionId}/messages/stream") { Content = JsonContent.Create(new { content = "anyone there?" }) };
            failed = await client.Http.SendAsync(request, Token);
            watch.Stop();
        }
        finally
        {
            await fixture.Letta.FailNextAsync(0);
        }

        using (failed)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            // Fast means no wait for Letta's timeouts (10 s and more); a loaded 2-core CI machine took up to 2.8 s.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"503 took {watch.Elapsed}");
            Assert.NotNull(failed.Headers.RetryAfter?.Delta);
            Assert.Equal("letta_unavailable", (await failed.Content.ReadFromJsonAsync<JsonObject>(Token))!["code"]!.GetValue<string>());
        }

        var history = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages", Token);
        Assert.Equal(2, history!["items"]!.AsArray().Count);
        var recovered = await client.SendAsync(sessionId, "back again?");
        Assert.Equal("completed", recovered["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendMessage_LettaInstanceUnreachable_Answers503WithinTwoSecondsAndHealthIsDegraded()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync(StandIns.UnreachableTemplate);

        var watch = Stopwatch.StartNew();
        using var response = await client.Http.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "hello" }, Token);
        watch.Stop();
        using var health = await fixture.Chat.CreateClient().GetAsync("/health", Token);
        var report = await health.Content.ReadFromJsonAsync<JsonObject>(Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        // Fast means no wait for Letta's timeouts (10 s and more); a loaded 2-core CI machine took up to 2.8 s.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"503 took {watch.Elapsed}");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", report!["status"]!.GetValue<string>());
        Assert.Equal("Degraded", report["checks"]!["letta-down"]!["status"]!.GetValue<string>());
        Assert.Equal("Healthy", report["checks"]!["chatdb"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamMessage_MemoryBlockChangedDuringTurn_RelaysMemoryUpdated()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        using var client = new ChatClient(fixture.Chat.CreateClientFor(userId));
        var session = await client.CreateSessionAsync();
        var sessionId = session["id"]!.GetValue<string>();
        var agentId = Guid.Parse(session["agentId"]!.GetValue<string>());
        await fixture.Letta.ScriptAsync(fixture.StandIns.Agents[(userId, StandIns.Template)].LettaAgentId,
            """[{"type":"tool_call","name":"query_tasks","arguments":{}},{"type":"delay","ms":2500},{"type":"assistant","text":"done thinking"}]""");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/sessions/{sessionId}/messages/stream") { Content = JsonContent.Create(new { content = "think about it" }) };
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Token));
        var events = new List<SseEvent>();
        while (await ChatClient.ReadEventAsync(reader) is { } received)
        {
            events.Add(received);
            if (received.Type == "tool_result")
            {
                break;
            }
        }

        // The agent now sits in its scripted delay: the turn is live while memory-sync announces a change.
        var bus = fixture.Chat.Services.GetRequiredService<IBus>();
        await bus.Publish(new MemoryBlockChanged
        {
            AgentId = agentId,
            UserId = userId,
            Label = "human",
            Version = 4,
            Author = "user",
            SyncState = "synced",
            ChangedAt = DateTimeOffset.UtcNow,
        }, Token);
        while (await ChatClient.ReadEventAsync(reader) is { } received)
        {
            events.Add(received);
        }

        var memory = Assert.Single(events, e => e.Type == "memory_updated");
        Assert.Equal("human", memory.Str("label"));
        Assert.Equal(4, memory.Data["version"]!.GetValue<int>());
        Assert.Equal("user", memory.Str("author"));
        Assert.False(string.IsNullOrEmpty(memory.Id));
    }

    [Fact]
    public async Task StreamMessage_RabbitMqUnreachableForToolCall_ToolErrorReachesAgentAndTurnEnds()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        using (var warm = new ChatClient(fixture.Chat.CreateClientFor(userId)))
        {
            // Resolve the agent and the catalog once through the healthy broker: they are cached (Redis), as in production.
            var warmSession = await warm.CreateSessionIdAsync();
            await warm.SendAsync(warmSession, "list my tasks");
        }

        await using var offline = fixture.CreateChat(new Dictionary<string, string?>
        {
            ["ConnectionStrings:messaging"] = $"amqp://guest:guest@127.0.0.1:{FreePort.Next()}/",
            ["Chat:ToolCallTimeout"] = "00:00:02",
        });
        await offline.StartAsync(waitForBus: false);
        using var client = new ChatClient(offline.CreateClientFor(userId));
        var sessionId = (await client.Http.GetFromJsonAsync<JsonObject>("/api/chat/sessions", Token))!["items"]![0]!["id"]!.GetValue<string>();

        var watch = Stopwatch.StartNew();
        var events = await client.StreamMessageAsync(sessionId, "list my tasks");
        watch.Stop();

        var result = Assert.Single(events, e => e.Type == "tool_result");
        Assert.Equal("error", result.Str("status"));
        Assert.Contains("\"outcome_unknown\"", result.Str("result"), StringComparison.Ordinal);
        Assert.Contains("I couldn't list your tasks: The tool service did not answer in time", string.Concat(events.Where(e => e.Type == "assistant").Select(e => e.Str("text"))), StringComparison.Ordinal);
        Assert.Equal("done", events[^1].Type);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"the turn took {watch.Elapsed}");
    }
}
