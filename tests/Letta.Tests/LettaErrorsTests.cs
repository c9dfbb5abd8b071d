using System.Net;
using Polly.CircuitBreaker;

namespace LettaPlatform.Letta.Tests;

public sealed class LettaErrorsTests : IAsyncLifetime
{
    private ScriptedLettaServer _server = null!;
    private LettaClientHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await ScriptedLettaServer.StartAsync();
        _host = LettaClientHost.For(_server.Endpoint, new() { ["Letta:Resilience:MaxRetryAttempts"] = "0" });
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<LettaException> FailWith(int status, string body, Action<Microsoft.AspNetCore.Http.IHeaderDictionary>? headers = null)
    {
        _server.Handler = context => ScriptedLettaServer.Json(context, status, body, headers);
        return await Assert.ThrowsAnyAsync<LettaException>(() => _host.Client.GetAgentAsync("agent-x", cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_404WithDetailString_ThrowsNotFound()
    {
        var error = Assert.IsType<LettaNotFoundException>(await FailWith(404, """{"detail":"Agent not found"}"""));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("Agent not found", error.Detail);
        Assert.Equal("""{"detail":"Agent not found"}""", error.RawBody);
    }

    [Fact]
    public async Task Send_409WithPendingApprovalObject_ThrowsPendingApproval()
    {
        var error = Assert.IsType<LettaPendingApprovalException>(await FailWith(409,
            """{"detail":{"code":"PENDING_APPROVAL","message":"Cannot send a new message: the agent is waiting for approval","pending_request_id":"message-123"}}"""));

        Assert.Equal("PENDING_APPROVAL", error.ErrorCode);
        Assert.Equal("message-123", error.PendingRequestId);
        Assert.Contains("waiting for approval", error.Detail);
    }

    [Fact]
    public async Task Send_409BusyWithRunId_ThrowsBusy()
    {
        var error = Assert.IsType<LettaBusyException>(await FailWith(409,
            """{"detail":"Conversation conv-1 is busy processing another request","run_id":"run-42"}"""));

        Assert.Equal("run-42", error.RunId);
        Assert.IsAssignableFrom<LettaConflictException>(error);
    }

    [Fact]
    public async Task Modify_409UniqueConstraint_ThrowsPlainConflict()
    {
        var error = await FailWith(409, """{"detail":"A block with this label already exists"}""");

        Assert.Equal(typeof(LettaConflictException), error.GetType());
        Assert.Equal("A block with this label already exists", error.Detail);
    }

    [Fact]
    public async Task Get_422WithValidationList_ThrowsValidationWithItems()
    {
        var error = Assert.IsType<LettaValidationException>(await FailWith(422,
            """{"detail":[{"loc":["path","agent_id"],"msg":"String should match pattern","type":"string_pattern_mismatch"}]}"""));

        var item = Assert.Single(error.Errors);
        Assert.Equal(["path", "agent_id"], item.Location);
        Assert.Equal("string_pattern_mismatch", item.Type);
        Assert.Equal("path.agent_id: String should match pattern", error.Detail);
    }

    [Fact]
    public async Task Get_422WithDetailStringAndTraceId_ThrowsValidation()
    {
        var error = Assert.IsType<LettaValidationException>(await FailWith(422, """{"trace_id":"abc","detail":"Invalid input: streaming options need streaming=true"}"""));

        Assert.Equal("Invalid input: streaming options need streaming=true", error.Detail);
        Assert.Empty(error.Errors);
    }

    [Fact]
    public async Task Create_400_ThrowsValidation()
    {
        var error = Assert.IsType<LettaValidationException>(await FailWith(400, """{"detail":"embedding is required"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task Send_429WithProviderErrorObject_ThrowsRateLimitedWithRetryAfter()
    {
        var error = Assert.IsType<LettaRateLimitedException>(await FailWith(429,
            """{"error":{"type":"llm_rate_limit","message":"Rate limited by OpenAI","detail":"try later"}}""",
            headers => headers.RetryAfter = "7"));

        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.Equal("llm_rate_limit", error.ErrorCode);
        Assert.Equal("Rate limited by OpenAI (try later)", error.Detail);
    }

    [Fact]
    public async Task Create_402WithErrorString_ThrowsPaymentRequired()
    {
        var error = Assert.IsType<LettaPaymentRequiredException>(await FailWith(402, """{"error":"You have reached your limit for agents","limit":3}"""));

        Assert.Equal("You have reached your limit for agents", error.Detail);
    }

    [Fact]
    public async Task Get_401_ThrowsUnauthorized()
    {
        var error = Assert.IsType<LettaUnauthorizedException>(await FailWith(401, """{"detail":"Unauthorized"}"""));

        Assert.Equal("Unauthorized", error.Detail);
    }

    [Fact]
    public async Task Get_500WithEmptyBody_ThrowsServerErrorWithStatus()
    {
        var error = Assert.IsType<LettaServerException>(await FailWith(500, ""));

        Assert.Null(error.Detail);
        Assert.Equal("", error.RawBody);
        Assert.Contains("500", error.Message);
    }

    [Fact]
    public async Task Get_502WithHtmlBody_ThrowsUnavailableWithTheText()
    {
        var error = Assert.IsType<LettaUnavailableException>(await FailWith(502, "<html>Bad gateway</html>"));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal("<html>Bad gateway</html>", error.Detail);
    }

    [Fact]
    public async Task Get_ConnectionRefused_ThrowsUnavailable()
    {
        var port = _server.Endpoint.Port;
        await _server.DisposeAsync();
        _server = await ScriptedLettaServer.StartAsync();

        using var host = LettaClientHost.For(new Uri($"http://127.0.0.1:{port}/"), new() { ["Letta:Resilience:MaxRetryAttempts"] = "0" });
        var error = await Assert.ThrowsAsync<LettaUnavailableException>(() => host.Client.GetHealthAsync(TestContext.Current.CancellationToken));

        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Contains("cannot be reached", error.Message);
    }

    [Fact]
    public void FromException_OpenCircuit_IsUnavailable()
    {
        var mapped = LettaErrors.FromException(new BrokenCircuitException(), "letta", CancellationToken.None);

        Assert.IsType<LettaUnavailableException>(mapped);
    }
}
