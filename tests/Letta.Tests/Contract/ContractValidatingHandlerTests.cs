using Microsoft.AspNetCore.Http;
using System.Text;

namespace LettaPlatform.Letta.Tests.Contract;

/// <summary>The contract handler must flag what does not conform, or the LettaDev suite proves nothing.</summary>
public sealed class ContractValidatingHandlerTests : IAsyncLifetime
{
    private const string AgentId = "agent-0f0e0d0c-0b0a-4909-8807-060504030201";

    private ScriptedLettaServer _server = null!;
    private readonly ContractLog _log = new();
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await ScriptedLettaServer.StartAsync();
        _http = new HttpClient(new ContractValidatingHandler(OpenApiContract.Letta, _log) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = _server.Endpoint };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private void Answer(int status, string body, string contentType = "application/json") => _server.Handler = async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted);
    };

    [Fact]
    public async Task Response_MissingRequiredField_IsAViolation()
    {
        Answer(200, """{"id":"block-1"}""");

        await _http.GetAsync($"v1/agents/{AgentId}/core-memory/blocks/human", Ct);

        Assert.Contains(_log.Violations, v => v.StartsWith("retrieve_core_memory_block", StringComparison.Ordinal) && v.Contains("required property 'value' is missing"));
    }

    [Fact]
    public async Task Response_UndeclaredField_IsAViolation()
    {
        Answer(200, """{"version":"1","status":"ok","uptime":5}""");

        await _http.GetAsync("v1/health/", Ct);

        Assert.Contains(_log.Violations, v => v.Contains("$.uptime: the spec does not declare this property"));
    }

    [Fact]
    public async Task StreamChunk_UnknownStopReason_IsAViolationWhileTheBytesStillFlow()
    {
        Answer(200, "data: {\"message_type\":\"stop_reason\",\"stop_reason\":\"finished\"}\n\ndata: [DONE]\n\n", "text/event-stream");

        using var response = await _http.PostAsync($"v1/agents/{AgentId}/messages",
            new StringContent("""{"messages":[{"role":"user","content":"hi"}],"streaming":true}""", Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.EndsWith("data: [DONE]\n\n", text);
        Assert.Contains(_log.Violations, v => v.Contains("stream chunk") && v.Contains("\"finished\" is not one of"));
    }

    [Fact]
    public async Task Request_UndeclaredBodyFieldAndQueryParameter_AreViolations()
    {
        Answer(200, """{"id":"block-1","value":"v"}""");

        await _http.PostAsync("v1/blocks/?colour=red", new StringContent("""{"label":"human","value":"v","colour":"red"}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Contains(_log.Violations, v => v.Contains("query: 'colour' is not a parameter"));
        Assert.Contains(_log.Violations, v => v.Contains("request body") && v.Contains("$.colour: the spec does not declare this property"));
    }

    [Fact]
    public async Task Request_MalformedPathId_IsAViolation()
    {
        Answer(200, "[]");

        await _http.GetAsync("v1/agents/agent-1/core-memory/blocks", Ct);

        Assert.Contains(_log.Violations, v => v.Contains("path parameter agent_id") && v.Contains("does not match"));
    }

    [Fact]
    public async Task Request_UnknownRoute_IsAViolation()
    {
        Answer(200, "{}");

        await _http.GetAsync("v1/agents/" + AgentId + "/secrets-of-the-universe", Ct);

        Assert.Contains(_log.Violations, v => v.Contains("the spec has no such operation"));
    }

    [Fact]
    public async Task ErrorBody_WithoutDetailOrError_IsAViolation()
    {
        Answer(404, """{"message":"not here"}""");

        await _http.GetAsync($"v1/agents/{AgentId}", Ct);

        Assert.Contains(_log.Violations, v => v.Contains("error 404: body is not Letta's"));
    }

    [Fact]
    public async Task Export_AgentFileMissingSections_IsAViolation()
    {
        Answer(200, """{"agents":[]}""");

        await _http.GetAsync($"v1/agents/{AgentId}/export", Ct);

        Assert.Contains(_log.Violations, v => v.Contains("export_agent") && v.Contains("required property 'blocks' is missing"));
    }

    [Fact]
    public async Task ConformingExchange_HasNoViolations()
    {
        Answer(200, """{"version":"0.16.8","status":"ok"}""");

        await _http.GetAsync("v1/health/", Ct);

        Assert.Empty(_log.Violations);
        Assert.Equal(1, _log.Operations["check_health"]);
    }
}
