using System.Text.Json.Nodes;

namespace LettaPlatform.Testing.Tests;

/// <summary>The kit's assertions: they pass on a turn that meets them and fail with what was expected, what came and the transcript.</summary>
public sealed class AgentTurnAssertionTests
{
    private static readonly AgentTurn Listed = Turn("completed",
        ("tool_call", """{"toolCallId":"call_1","name":"query_tasks","arguments":"{\"overdue\":true}"}"""),
        ("tool_result", """{"toolCallId":"call_1","status":"success","result":"{\"status\":\"success\",\"data\":{\"count\":0}}"}"""),
        ("assistant", """{"text":"You have nothing overdue."}"""),
        ("done", """{"status":"completed"}"""));

    [Fact]
    public void Assertions_MetByTheTurn_ReturnTheCallWithParsedArgumentsAndResult()
    {
        var call = Listed.ShouldComplete().ShouldReply("nothing overdue").ShouldCallToolSuccessfully("query_tasks", new { overdue = true });

        Assert.Equal(("call_1", 0), (call.ToolCallId, call.Data!["count"]!.GetValue<int>()));
        Listed.ShouldNotCallTool("break_down_task");
    }

    [Fact]
    public void ShouldCallTool_AnotherToolWasCalled_SaysWhichWasExpectedWhichCameAndShowsTheTurn()
    {
        var failure = Assert.Throws<AgentAssertionException>(() => Listed.ShouldCallTool("break_down_task"));

        Assert.StartsWith("Expected a call to tool 'break_down_task', but the turn called 'query_tasks'.", failure.Message);
        Assert.Contains("The turn (status completed, 4 events):", failure.Message);
        Assert.Contains("tool_call: query_tasks {\"overdue\":true}", failure.Message);
        Assert.Contains("assistant: \"You have nothing overdue.\"", failure.Message);
    }

    [Fact]
    public void ShouldCallTool_OtherArguments_ShowsTheExpectedAndTheActualArguments()
    {
        var failure = Assert.Throws<AgentAssertionException>(() => Listed.ShouldCallTool("query_tasks", new { priority = "high" }));

        Assert.StartsWith("""Expected a call to 'query_tasks' with arguments including {"priority":"high"}, but it was called with {"overdue":true}.""", failure.Message);
    }

    [Fact]
    public void ShouldReply_OtherText_QuotesTheReply()
    {
        var failure = Assert.Throws<AgentAssertionException>(() => Listed.ShouldReply("3 of 5 done"));

        Assert.StartsWith("Expected the reply to contain \"3 of 5 done\", but the reply was \"You have nothing overdue.\".", failure.Message);
    }

    [Fact]
    public void ShouldAwaitApproval_ACompletedTurn_SaysItsStatus()
    {
        var failure = Assert.Throws<AgentAssertionException>(() => Listed.ShouldAwaitApproval("create_pull_request"));

        Assert.StartsWith("Expected the turn to wait for approval of 'create_pull_request', but its status is 'completed' and it asked to approve nothing.", failure.Message);
    }

    [Fact]
    public void ShouldEditMemory_NoEdit_SaysWhatWasEdited()
    {
        var edited = Turn("completed", ("memory_updated", """{"label":"human","version":2,"author":"agent"}"""));

        edited.ShouldEditMemory("human");
        var failure = Assert.Throws<AgentAssertionException>(() => edited.ShouldEditMemory("preferences"));
        Assert.StartsWith("Expected the turn to edit the memory block 'preferences', but it edited 'human'.", failure.Message);
    }

    [Fact]
    public void ShouldRunApprovedCall_FailedCall_SaysTheError()
    {
        var approval = new ApprovalRequest("call_9", "create_pull_request", [], null);
        var resumed = Turn("completed", ("tool_result", """{"toolCallId":"call_9","status":"error","result":"{\"error\":{\"code\":\"repository_not_allowed\"}}"}"""));

        var failure = Assert.Throws<AgentAssertionException>(() => resumed.ShouldRunApprovedCall(approval));

        Assert.StartsWith("Expected the approved call to 'create_pull_request' to succeed, but its result was error: {\"error\":{\"code\":\"repository_not_allowed\"}}.", failure.Message);
    }

    [Fact]
    public void ShouldHandOff_NestedEvents_AreTheOtherAgentsTurn()
    {
        var asked = Turn("awaiting_approval",
            ("tool_call", """{"toolCallId":"call_ask","name":"ask_agent","arguments":"{\"agent\":\"code-assistant\",\"request\":\"open it\"}"}"""),
            ("handoff_started", """{"toolCallId":"call_ask","chainId":"c1","depth":1,"sessionId":"s1","agentId":"a1","templateId":"code-assistant","request":"open it","resumed":false}"""),
            ("handoff_event", """{"toolCallId":"call_ask","chainId":"c1","depth":1,"sessionId":"s1","event":{"id":"1-0","type":"tool_call","toolCallId":"call_pr","name":"create_pull_request","arguments":"{}"}}"""),
            ("handoff_event", """{"toolCallId":"call_other","chainId":"c1","depth":1,"sessionId":"s2","event":{"id":"2-0","type":"tool_call","toolCallId":"call_x","name":"query_tasks","arguments":"{}"}}"""),
            ("handoff_finished", """{"toolCallId":"call_ask","chainId":"c1","depth":1,"sessionId":"s1","status":"awaiting_approval","answer":null}"""),
            ("done", """{"status":"awaiting_approval"}"""));

        var handOff = asked.ShouldHandOff("code-assistant");

        Assert.Equal(("call_ask", "c1", "s1", "open it", "awaiting_approval"), (handOff.ToolCallId, handOff.ChainId, handOff.SessionId, handOff.Request, handOff.Status));
        Assert.Equal("call_pr", handOff.Turn.ShouldCallTool("create_pull_request").ToolCallId);
        handOff.Turn.ShouldNotCallTool("query_tasks");
        var failure = Assert.Throws<AgentAssertionException>(() => asked.ShouldHandOff("documentation"));
        Assert.StartsWith("Expected a hand-off to the documentation, but the turn handed off to 'code-assistant'.", failure.Message);
    }

    private static AgentTurn Turn(string status, params (string Type, string Json)[] events) =>
        new(status, [.. events.Select(e =>
        {
            var data = JsonNode.Parse(e.Json)!.AsObject();
            data["type"] = e.Type;
            return new TurnEvent(e.Type, data);
        })]);
}
