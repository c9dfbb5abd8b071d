using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.Letta.Tests;

public sealed class LettaStreamingTests : IAsyncLifetime
{
    private ScriptedLettaServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly LettaMessageRequest Hello = new() { Messages = [LettaInput.User("hello")] };

    private const string Reasoning = """{"id":"message-1","date":"2026-01-01T00:00:00Z","reasoning":"thinking","otid":"o-1","seq_id":1,"run_id":"run-1","message_type":"reasoning_message"}""";
    private const string Assistant = """{"id":"message-2","date":"2026-01-01T00:00:00Z","content":"Hi there","otid":"o-2","seq_id":2,"run_id":"run-1","message_type":"assistant_message"}""";
    private const string Ping = """{"message_type":"ping","id":"p","date":"2026-01-01T00:00:00Z","run_id":"run-1","seq_id":3}""";
    private const string Stop = """{"message_type":"stop_reason","stop_reason":"end_turn"}""";
    private const string Usage = """{"message_type":"usage_statistics","completion_tokens":5,"prompt_tokens":7,"total_tokens":12,"step_count":1,"run_ids":["run-1"]}""";

    public async ValueTask InitializeAsync() => _server = await ScriptedLettaServer.StartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static string Data(string json) => $"data: {json}\n\n";

    private void Script(params string[] chunks) => _server.Handler = async context =>
    {
        var write = await ScriptedLettaServer.BeginStream(context);
        foreach (var chunk in chunks)
        {
            await write(chunk);
        }
    };

    private static async Task<List<LettaStreamEvent>> Collect(IAsyncEnumerable<LettaStreamEvent> stream)
    {
        var events = new List<LettaStreamEvent>();
        await foreach (var streamEvent in stream.WithCancellation(Ct))
        {
            events.Add(streamEvent);
        }
        return events;
    }

    [Fact]
    public async Task Stream_LettasFullSequence_YieldsTypedEventsInOrder()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        Script(Data(Reasoning), Data(Assistant), Data(Ping), Data(Stop), Data(Usage), Data("[DONE]"));

        var events = await Collect(host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct));

        Assert.Collection(events,
            e => Assert.Equal("thinking", Assert.IsType<ReasoningMessage>(Assert.IsType<LettaMessageEvent>(e).Message).Reasoning),
            e =>
            {
                var message = Assert.IsType<AssistantMessage>(Assert.IsType<LettaMessageEvent>(e).Message);
                Assert.Equal("Hi there", message.Content?.Text);
                Assert.Equal(2, message.SeqId);
                Assert.Equal("o-2", message.Otid);
            },
            e => Assert.Equal(new LettaPingEvent("run-1", 3), e),
            e => Assert.Equal("end_turn", Assert.IsType<LettaStopReasonEvent>(e).StopReason),
            e => Assert.Equal(12, Assert.IsType<LettaUsageEvent>(e).Usage.TotalTokens),
            e => Assert.IsType<LettaDoneEvent>(e));
    }

    [Fact]
    public async Task Stream_Request_SendsStreamingFlagsOtidsAndClientTools()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        Script(Data(Stop), Data("[DONE]"));
        var request = Hello with
        {
            ClientTools = [new LettaClientTool { Name = "create_task", Description = "Creates a task", Parameters = new JsonObject { ["type"] = "object" } }],
        };

        await Collect(host.Client.StreamMessageAsync("agent-1", request, new LettaStreamOptions { StreamTokens = true, IncludePings = true }, Ct));

        var sent = Assert.Single(_server.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/agents/agent-1/messages", sent.PathAndQuery);
        using var body = JsonDocument.Parse(sent.Body);
        var root = body.RootElement;
        Assert.True(root.GetProperty("streaming").GetBoolean());
        Assert.True(root.GetProperty("stream_tokens").GetBoolean());
        Assert.True(root.GetProperty("include_pings").GetBoolean());
        var message = root.GetProperty("messages")[0];
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("user", message.GetProperty("role").GetString());
        Assert.Equal("hello", message.GetProperty("content").GetString());
        Assert.Equal(Hello.Messages[0].Otid, message.GetProperty("otid").GetString());
        Assert.Equal("create_task", root.GetProperty("client_tools")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Send_NonStreaming_LeavesStreamingOnlyOptionsOut()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        _server.Handler = context => ScriptedLettaServer.Json(context, 200, $$"""{"messages":[{{Assistant}}],"stop_reason":{{Stop}},"usage":{{Usage}}}""");

        var response = await host.Client.SendMessageAsync("agent-1", Hello, Ct);

        Assert.Equal("Hi there", Assert.IsType<AssistantMessage>(Assert.Single(response.Messages)).Content?.Text);
        Assert.Equal(12, response.Usage?.TotalTokens);
        using var body = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.False(body.RootElement.TryGetProperty("streaming", out _));
        Assert.False(body.RootElement.TryGetProperty("stream_tokens", out _));
        Assert.False(body.RootElement.TryGetProperty("include_pings", out _));
    }

    [Fact]
    public async Task Stream_FirstChunk_ArrivesBeforeTheServerFinishes()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        var release = new TaskCompletionSource();
        _server.Handler = async context =>
        {
            var write = await ScriptedLettaServer.BeginStream(context);
            await write(Data(Assistant));
            await release.Task.WaitAsync(context.RequestAborted);
            await write(Data(Stop) + Data("[DONE]"));
        };

        await using var enumerator = host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct).GetAsyncEnumerator(Ct);
        Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct));
        Assert.IsType<LettaMessageEvent>(enumerator.Current);
        release.SetResult();
        var rest = new List<LettaStreamEvent>();
        while (await enumerator.MoveNextAsync())
        {
            rest.Add(enumerator.Current);
        }

        Assert.IsType<LettaDoneEvent>(rest[^1]);
    }

    [Fact]
    public async Task Stream_ErrorEventMidStream_YieldsStopErrorAndDone()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        Script(Data(Assistant), Data("""{"message_type":"stop_reason","stop_reason":"llm_api_error"}"""),
            "event: error\n" + Data("""{"message_type":"error_message","run_id":"run-1","error_type":"llm_error","message":"Provider failed","detail":"upstream 500"}"""),
            Data("[DONE]"));

        var events = await Collect(host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct));

        Assert.Equal("llm_api_error", Assert.IsType<LettaStopReasonEvent>(events[1]).StopReason);
        Assert.Equal(new LettaErrorEvent("run-1", "llm_error", "Provider failed", "upstream 500"), events[2]);
        Assert.IsType<LettaDoneEvent>(events[3]);
    }

    [Fact]
    public async Task Stream_CommentsUnknownFieldsAndCrLf_AreIgnored()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        Script(": keep-alive\r\n\r\n", "id: 7\r\nretry: 1000\r\nnonsense\r\n", "data: " + Stop + "\r\n\r\n", Data("[DONE]"));

        var events = await Collect(host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct));

        Assert.Equal([typeof(LettaStopReasonEvent), typeof(LettaDoneEvent)], events.Select(e => e.GetType()));
    }

    [Fact]
    public async Task Stream_MalformedDataLine_ThrowsFormatExceptionWithTheLine()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        Script(Data(Assistant), Data("{\"message_type\": \"assistant_mess"), Data("[DONE]"));

        var error = await Assert.ThrowsAsync<LettaStreamFormatException>(() => Collect(host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct)));

        Assert.Equal("{\"message_type\": \"assistant_mess", error.RawBody);
    }

    [Fact]
    public async Task Stream_ClosedBeforeDone_ThrowsTruncatedWithLastSeqId()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        Script(Data(Reasoning), Data(Assistant));

        var error = await Assert.ThrowsAsync<LettaStreamTruncatedException>(() => Collect(host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct)));

        Assert.Equal(2, error.LastSeqId);
    }

    [Fact]
    public async Task Stream_SilentServer_ThrowsStalledAfterTheIdleTimeout()
    {
        using var host = LettaClientHost.For(_server.Endpoint, new() { ["Letta:StreamIdleTimeout"] = "00:00:00.300" });
        _server.Handler = async context =>
        {
            var write = await ScriptedLettaServer.BeginStream(context);
            await write(Data(Assistant));
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        };

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<LettaStreamStalledException>(() => Collect(host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct)));

        Assert.Equal(TimeSpan.FromMilliseconds(300), error.IdleTimeout);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Stream_ServerNeverStartsAnswering_ThrowsUnavailableAfterTheStartTimeout()
    {
        using var host = LettaClientHost.For(_server.Endpoint, new() { ["Letta:StreamStartTimeout"] = "00:00:00.300" });
        _server.Handler = context => Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<LettaUnavailableException>(() => Collect(host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct)));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Stream_StartedStreamOutlivingTheStartTimeout_IsNotCut()
    {
        // Generous enough for the headers on a loaded machine; the stream then runs twice as long.
        using var host = LettaClientHost.For(_server.Endpoint, new() { ["Letta:StreamStartTimeout"] = "00:00:02" });
        _server.Handler = async context =>
        {
            var write = await ScriptedLettaServer.BeginStream(context);
            for (var i = 0; i < 10; i++)
            {
                await Task.Delay(400, context.RequestAborted);
                await write(Data(Ping));
            }
            await write(Data(Assistant) + Data(Stop) + Data("[DONE]"));
        };

        var events = await Collect(host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct));

        Assert.Equal(10, events.Count(e => e is LettaPingEvent));
        Assert.IsType<LettaDoneEvent>(events[^1]);
    }

    [Fact]
    public async Task Stream_PingsLongerThanTheIdleTimeout_KeepTheStreamAlive()
    {
        using var host = LettaClientHost.For(_server.Endpoint, new() { ["Letta:StreamIdleTimeout"] = "00:00:00.500" });
        _server.Handler = async context =>
        {
            var write = await ScriptedLettaServer.BeginStream(context);
            for (var i = 0; i < 6; i++)
            {
                await Task.Delay(200, context.RequestAborted);
                await write(Data(Ping));
            }
            await write(Data(Stop) + Data("[DONE]"));
        };

        var events = await Collect(host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct));

        Assert.Equal(6, events.Count(e => e is LettaPingEvent));
        Assert.IsType<LettaDoneEvent>(events[^1]);
    }

    [Fact]
    public async Task Stream_CallerCancels_StopsPromptlyAndClosesTheConnection()
    {
        using var host = LettaClientHost.For(_server.Endpoint, new() { ["Letta:StreamIdleTimeout"] = "00:01:00" });
        var aborted = new TaskCompletionSource();
        _server.Handler = async context =>
        {
            context.RequestAborted.Register(() => aborted.TrySetResult());
            var write = await ScriptedLettaServer.BeginStream(context);
            await write(Data(Assistant));
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: cancel.Token))
            {
                cancel.CancelAfter(100);
            }
        });

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
    }

    [Fact]
    public async Task ResumeRunStream_StartingAfter_PostsTheCursorAndReadsTheRest()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        Script(Data(Stop), Data("[DONE]"));

        var events = await Collect(host.Client.ResumeRunStreamAsync("run-1", startingAfter: 12, cancellationToken: Ct));

        Assert.IsType<LettaDoneEvent>(events[^1]);
        var sent = Assert.Single(_server.Requests);
        Assert.Equal("/v1/runs/run-1/stream", sent.PathAndQuery);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal(12, body.RootElement.GetProperty("starting_after").GetInt32());
        Assert.True(body.RootElement.GetProperty("include_pings").GetBoolean());
    }

    [Fact]
    public async Task Stream_StreamingRequestAnsweredWithJson_IsReplayedAsEvents()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        _server.Handler = context => ScriptedLettaServer.Json(context, 200, $$"""{"messages":[{{Assistant}}],"stop_reason":{{Stop}},"usage":{{Usage}}}""");

        var events = await Collect(host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct));

        Assert.Equal([typeof(LettaMessageEvent), typeof(LettaStopReasonEvent), typeof(LettaUsageEvent), typeof(LettaDoneEvent)], events.Select(e => e.GetType()));
    }

    [Fact]
    public async Task Stream_409BeforeTheFirstChunk_ThrowsTheTypedError()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        _server.Handler = context => ScriptedLettaServer.Json(context, 409, """{"detail":{"code":"PENDING_APPROVAL","pending_request_id":"message-9"}}""");

        var error = await Assert.ThrowsAsync<LettaPendingApprovalException>(() => Collect(host.Client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct)));

        Assert.Equal("message-9", error.PendingRequestId);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task SendMessage_TurnLongerThanSendTimeout_ThrowsUnavailable()
    {
        using var host = LettaClientHost.For(_server.Endpoint, new() { ["Letta:SendTimeout"] = "00:00:00.300" });
        _server.Handler = async context => await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<LettaUnavailableException>(() => host.Client.SendMessageAsync("agent-1", Hello, Ct));

        Assert.Contains("did not answer in time", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task ResumeConversationStream_StartingAfter_PostsCursorAndRunId()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        Script(Data(Stop), Data("[DONE]"));

        await Collect(host.Client.ResumeConversationStreamAsync("conv-1", startingAfter: 4, runId: "run-7", cancellationToken: Ct));

        var sent = Assert.Single(_server.Requests);
        Assert.Equal("/v1/conversations/conv-1/stream", sent.PathAndQuery);
        Assert.Equal("""{"starting_after":4,"include_pings":true,"run_id":"run-7"}""", sent.Body);
    }
}
