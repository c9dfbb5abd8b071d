using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

namespace LettaPlatform.Letta.Tests;

public sealed class LettaResilienceTests : IAsyncLifetime
{
    private ScriptedLettaServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await ScriptedLettaServer.StartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static readonly LettaMessageRequest Hello = new() { Messages = [LettaInput.User("hello")] };

    private const string Turn = """{"messages":[],"stop_reason":{"message_type":"stop_reason","stop_reason":"end_turn"},"usage":{"message_type":"usage_statistics"}}""";

    private void FailTimes(int failures, int status, string body, Action<Microsoft.AspNetCore.Http.IHeaderDictionary>? headers = null, string success = """{"version":"1","status":"ok"}""")
    {
        var calls = 0;
        _server.Handler = context => Interlocked.Increment(ref calls) <= failures
            ? ScriptedLettaServer.Json(context, status, body, headers)
            : ScriptedLettaServer.Json(context, 200, success);
    }

    [Fact]
    public async Task Get_503Always_RetriesUpToTheLimitThenThrowsUnavailable()
    {
        using var host = LettaClientHost.For(_server.Endpoint, new() { ["Letta:Resilience:MaxRetryAttempts"] = "2" });
        FailTimes(int.MaxValue, 503, """{"detail":"database unavailable"}""");

        await Assert.ThrowsAsync<LettaUnavailableException>(() => host.Client.GetHealthAsync(Ct));

        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Get_503Once_SucceedsOnRetry()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        FailTimes(1, 503, "");

        var health = await host.Client.GetHealthAsync(Ct);

        Assert.Equal("ok", health.Status);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Get_429WithRetryAfter_WaitsAsToldBeforeRetrying()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        FailTimes(1, 429, """{"error":{"type":"llm_rate_limit","message":"slow down"}}""", h => h.RetryAfter = "1");

        var watch = Stopwatch.StartNew();
        await host.Client.GetHealthAsync(Ct);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {watch.Elapsed}");
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Send_409Busy_IsNotRetried()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        FailTimes(int.MaxValue, 409, """{"detail":"Agent agent-1 is busy","run_id":"run-1"}""", h => h.RetryAfter = "1");

        await Assert.ThrowsAsync<LettaBusyException>(() => host.Client.SendMessageAsync("agent-1", Hello, Ct));

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Send_409PendingApproval_IsNotRetried()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        FailTimes(int.MaxValue, 409, """{"detail":{"code":"PENDING_APPROVAL","pending_request_id":"message-1"}}""", h => h.RetryAfter = "1");

        await Assert.ThrowsAsync<LettaPendingApprovalException>(() => host.Client.SendMessageAsync("agent-1", Hello, Ct));

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Send_503Once_IsRetriedWithTheSameBodyAndOtid()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        FailTimes(1, 503, "", success: Turn);

        var response = await host.Client.SendMessageAsync("agent-1", Hello, Ct);

        Assert.Equal("end_turn", response.StopReason?.StopReason);
        var requests = _server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Contains($"\"otid\":\"{Hello.Messages[0].Otid}\"", requests[1].Body);
    }

    [Fact]
    public async Task Send_409DeadlockWithRetryAfter_IsRetriedWithTheSameBody()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        FailTimes(1, 409, """{"detail":"deadlock detected"}""", h => h.RetryAfter = "0", success: Turn);

        await host.Client.SendMessageAsync("agent-1", Hello, Ct);

        var requests = _server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal(requests[0].Body, requests[1].Body);
    }

    [Fact]
    public async Task Send_500_IsNotRetried()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        FailTimes(int.MaxValue, 500, """{"detail":"An unknown error occurred"}""");

        await Assert.ThrowsAsync<LettaServerException>(() => host.Client.SendMessageAsync("agent-1", Hello, Ct));

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task ModifyBlock_409DeadlockWithRetryAfter_IsRetried()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        FailTimes(1, 409, """{"detail":"deadlock detected"}""", h => h.RetryAfter = "0", success: """{"id":"block-1","value":"v","label":"human"}""");

        var block = await host.Client.ModifyAgentBlockAsync("agent-1", "human", new BlockUpdate { Value = "v" }, Ct);

        Assert.Equal("v", block.Value);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task ModifyBlock_409WithoutRetryAfter_IsNotRetried()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        FailTimes(int.MaxValue, 409, """{"detail":"conflict"}""");

        await Assert.ThrowsAsync<LettaConflictException>(() => host.Client.ModifyAgentBlockAsync("agent-1", "human", new BlockUpdate { Value = "v" }, Ct));

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task CreateAgent_500_IsNotRetried()
    {
        using var host = LettaClientHost.For(_server.Endpoint);
        FailTimes(int.MaxValue, 500, "");

        await Assert.ThrowsAsync<LettaServerException>(() => host.Client.CreateAgentAsync(new CreateAgentRequest { Name = "a" }, Ct));

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Get_SlowerThanAttemptTimeout_TimesOutEachAttemptAndThrowsUnavailable()
    {
        using var host = LettaClientHost.For(_server.Endpoint, new()
        {
            ["Letta:Resilience:AttemptTimeout"] = "00:00:00.200",
            ["Letta:Resilience:MaxRetryAttempts"] = "1",
        });
        _server.Handler = async context => await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<LettaUnavailableException>(() => host.Client.GetHealthAsync(Ct));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task CircuitBreaker_RepeatedFailures_OpensAndStopsCallingTheInstance()
    {
        using var host = LettaClientHost.For(_server.Endpoint, new()
        {
            ["Letta:Resilience:MaxRetryAttempts"] = "0",
            ["Letta:Resilience:CircuitBreakerMinimumThroughput"] = "3",
            ["Letta:Resilience:CircuitBreakerBreakDuration"] = "00:00:30",
        });
        FailTimes(int.MaxValue, 500, "");
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<LettaServerException>(() => host.Client.GetHealthAsync(Ct));
        }

        var open = await Assert.ThrowsAsync<LettaUnavailableException>(() => host.Client.GetHealthAsync(Ct));

        Assert.IsType<BrokenCircuitException>(open.InnerException, exactMatch: false);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task CircuitBreaker_OpenForOneInstance_LeavesAnotherInstanceWorking()
    {
        await using var healthy = await ScriptedLettaServer.StartAsync();
        using var host = new LettaClientHost(new Dictionary<string, string?>
        {
            ["Letta:Instances:broken:Endpoint"] = _server.Endpoint.ToString(),
            ["Letta:Instances:good:Endpoint"] = healthy.Endpoint.ToString(),
            ["Letta:Resilience:MaxRetryAttempts"] = "0",
            ["Letta:Resilience:CircuitBreakerMinimumThroughput"] = "2",
            ["Letta:Resilience:CircuitBreakerBreakDuration"] = "00:00:30",
        });
        FailTimes(int.MaxValue, 503, "");
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<LettaUnavailableException>(() => host.Factory.CreateClient("broken").GetHealthAsync(Ct));
        }

        var health = await host.Factory.CreateClient("good").GetHealthAsync(Ct);

        Assert.Equal("ok", health.Status);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task StandardHandlerFromServiceDefaults_DoesNotCutLongCallsOrStreams()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:letta"] = $"Endpoint={_server.Endpoint}",
            ["Letta:StreamIdleTimeout"] = "00:00:00.500",
        }).Build());
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler(o =>
        {
            o.AttemptTimeout.Timeout = TimeSpan.FromMilliseconds(300);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromMilliseconds(600);
            o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(1);
        }));
        services.AddLettaClients();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<ILettaClientFactory>().CreateDefaultClient();
        _server.Handler = async context =>
        {
            if (context.Request.Method == "GET")
            {
                await Task.Delay(800, context.RequestAborted);
                await ScriptedLettaServer.Json(context, 200, """{"version":"1","status":"ok"}""");
                return;
            }
            var write = await ScriptedLettaServer.BeginStream(context);
            for (var i = 0; i < 8; i++)
            {
                await Task.Delay(150, context.RequestAborted);
                await write("data: {\"message_type\":\"ping\",\"id\":\"p\",\"date\":\"2026-01-01T00:00:00Z\"}\n\n");
            }
            await write("data: {\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}\n\ndata: [DONE]\n\n");
        };

        var health = await client.GetHealthAsync(Ct);
        var events = new List<LettaStreamEvent>();
        await foreach (var streamEvent in client.StreamMessageAsync("agent-1", Hello, cancellationToken: Ct))
        {
            events.Add(streamEvent);
        }

        Assert.Equal("ok", health.Status);
        Assert.Equal(8, events.Count(e => e is LettaPingEvent));
        Assert.IsType<LettaDoneEvent>(events[^1]);
    }
}
