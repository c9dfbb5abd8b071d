namespace LettaPlatform.LettaDev.Tests;

public sealed class ApprovalTests(LettaDevHost factory) : IClassFixture<LettaDevHost>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static JsonObject WithClientTools(JsonObject body)
    {
        body["client_tools"] = new JsonArray(Http.ClientTool("query_tasks"), Http.ClientTool("create_task", "title"),
            Http.ClientTool("get_repository_info", "repository"), Http.ClientTool("create_pull_request", "repository", "head", "base", "title"));
        return body;
    }

    private async Task<(string AgentId, JsonObject Request)> AskAsync(string text)
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        var response = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", WithClientTools(Http.UserMessage(text)));
        Assert.Equal("requires_approval", response["stop_reason"]!.Str("stop_reason"));
        return (id, response["messages"]!.AsArray().Last()!.AsObject());
    }

    [Theory]
    [InlineData("list my tasks", "query_tasks", "{}")]
    [InlineData("show my tasks please", "query_tasks", "{}")]
    [InlineData("create a task: Write docs", "create_task", """{"title":"Write docs"}""")]
    [InlineData("show repo octo/cat", "get_repository_info", """{"repository":"octo/cat"}""")]
    [InlineData("open a pull request in octo/cat from feature to main: Add docs", "create_pull_request",
        """{"repository":"octo/cat","head":"feature","base":"main","title":"Add docs"}""")]
    [InlineData("""/tool create_task {"title":"Direct"}""", "create_task", """{"title":"Direct"}""")]
    public async Task Phrase_WithClientTools_StopsWithApprovalRequest(string text, string tool, string arguments)
    {
        var (_, request) = await AskAsync(text);

        Assert.Equal("approval_request_message", request.Type());
        Assert.Equal(tool, request["tool_call"]!.Str("name"));
        Assert.Equal(arguments, request["tool_call"]!.Str("arguments"));
        Assert.Equal(request["tool_call"]!.Str("tool_call_id"), request["tool_calls"]![0]!.Str("tool_call_id"));
    }

    [Fact]
    public async Task Phrase_ArgumentNames_ComeFromTheOfferedSchema()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        var body = Http.UserMessage("create a task: Ship it");
        body["client_tools"] = new JsonArray(Http.ClientTool("create_task", "name"));

        var response = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", body);

        Assert.Equal("""{"name":"Ship it"}""", response["messages"]!.AsArray().Last()!["tool_call"]!.Str("arguments"));
    }

    [Fact]
    public async Task Pending_NewUserMessage_Returns409PendingApproval()
    {
        var (id, request) = await AskAsync("list my tasks");

        var conflict = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("hello?"), HttpStatusCode.Conflict);
        var agent = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{id}?include=agent.pending_approval");

        Assert.Equal("PENDING_APPROVAL", conflict["detail"]!.Str("code"));
        Assert.Equal(request.Str("id"), conflict["detail"]!.Str("pending_request_id"));
        Assert.Equal(request.Str("id"), agent["pending_approval"]!.Str("id"));
    }

    [Fact]
    public async Task ToolReturn_InApprovals_ContinuesWithToolReturnAndAnswer()
    {
        var (id, request) = await AskAsync("list my tasks");
        var callId = request["tool_call"]!.Str("tool_call_id");

        var response = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", WithClientTools(new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject
            {
                ["type"] = "approval",
                ["approvals"] = new JsonArray(new JsonObject { ["type"] = "tool", ["tool_call_id"] = callId, ["tool_return"] = "3 open tasks", ["status"] = "success" }),
            }),
        }));

        var messages = response["messages"]!.AsArray();
        Assert.Equal(["tool_return_message", "reasoning_message", "assistant_message"], messages.Select(m => m.Type()));
        Assert.Equal(callId, messages[0]!.Str("tool_call_id"));
        Assert.Equal("3 open tasks", messages[0]!["tool_returns"]![0]!.Str("tool_return"));
        Assert.Contains("3 open tasks", messages[2]!.Str("content"));
        Assert.Equal("end_turn", response["stop_reason"]!.Str("stop_reason"));
        await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("thanks"));
    }

    [Fact]
    public async Task ToolReturnCreate_Form_IsAccepted()
    {
        var (id, request) = await AskAsync("show repo octo/cat");

        var response = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject
            {
                ["type"] = "tool_return",
                ["tool_returns"] = new JsonArray(new JsonObject { ["type"] = "tool", ["tool_call_id"] = request["tool_call"]!.Str("tool_call_id"), ["tool_return"] = "stars: 5", ["status"] = "success" }),
            }),
        });

        Assert.Contains("stars: 5", response["messages"]!.AsArray().Last()!.Str("content"));
    }

    [Fact]
    public async Task Denial_ReachesModelAsErrorReturnWithReason()
    {
        var (id, request) = await AskAsync("create a task: Risky");

        var response = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject
            {
                ["type"] = "approval",
                ["approvals"] = new JsonArray(new JsonObject { ["type"] = "approval", ["tool_call_id"] = request["tool_call"]!.Str("tool_call_id"), ["approve"] = false, ["reason"] = "not now" }),
            }),
        });

        var messages = response["messages"]!.AsArray();
        Assert.Equal("error", messages[0]!.Str("status"));
        Assert.Contains("not now", messages[0]!.Str("tool_return"));
        Assert.Contains("not now", messages.Last()!.Str("content"));
    }

    [Fact]
    public async Task Answer_WithWrongToolCallId_Returns400()
    {
        var (id, _) = await AskAsync("list my tasks");

        var body = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject
            {
                ["type"] = "approval",
                ["approvals"] = new JsonArray(new JsonObject { ["type"] = "approval", ["tool_call_id"] = "call_wrong", ["approve"] = false }),
            }),
        }, HttpStatusCode.BadRequest);

        Assert.Contains("tool_call_id", body.Str("detail"));
    }

    [Fact]
    public async Task ServerToolRequiringApproval_Approved_RunsOnServer()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{id}/tools/approval/memory_insert", new JsonObject { ["requires_approval"] = true });
        var first = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("remember the sky is blue"));
        var request = first["messages"]!.AsArray().Last()!;

        var response = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject { ["type"] = "approval", ["approve"] = true, ["approval_request_id"] = request.Str("id") }),
        });
        var human = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{id}/core-memory/blocks/human");

        Assert.Equal("approval_request_message", request.Type());
        Assert.Equal("success", response["messages"]![0]!.Str("status"));
        Assert.EndsWith("the sky is blue", human.Str("value"));
    }
}
