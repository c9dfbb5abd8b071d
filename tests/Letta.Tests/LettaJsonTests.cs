using System.Text.Json;

namespace LettaPlatform.Letta.Tests;

public sealed class LettaJsonTests
{
    [Fact]
    public void Deserialize_DiscriminatorLast_PicksTheConcreteType()
    {
        var message = JsonSerializer.Deserialize<LettaMessage>(
            """{"id":"message-1","date":"2026-01-01T00:00:00Z","tool_call":{"name":"create_task","arguments":"{\"title\":\"x\"}","tool_call_id":"call-1"},"message_type":"approval_request_message"}""",
            LettaJson.Options);

        var approval = Assert.IsType<ApprovalRequestMessage>(message);
        Assert.Equal("call-1", Assert.Single(approval.Calls).ToolCallId);
    }

    [Fact]
    public void Deserialize_UnknownMessageType_KeepsTheRawJson()
    {
        var message = JsonSerializer.Deserialize<LettaMessage>("""{"message_type":"future_message","id":"message-1","extra":42}""", LettaJson.Options);

        var unknown = Assert.IsType<UnknownLettaMessage>(message);
        Assert.Equal("future_message", unknown.MessageType);
        Assert.Equal(42, unknown.Raw.GetProperty("extra").GetInt32());
    }

    [Fact]
    public void Deserialize_ToolCallsAsDeltaObject_ReadsOneCall()
    {
        var message = JsonSerializer.Deserialize<LettaMessage>(
            """{"message_type":"tool_call_message","id":"m","otid":"o","tool_call":{"arguments":"{\"a"},"tool_calls":{"arguments":"{\"a"}}""",
            LettaJson.Options);

        Assert.Equal("{\"a", Assert.Single(Assert.IsType<ToolCallMessage>(message).Calls).Arguments);
    }

    [Fact]
    public void Deserialize_ToolReturnMessageWithList_ExposesReturns()
    {
        var message = JsonSerializer.Deserialize<LettaMessage>(
            """{"message_type":"tool_return_message","id":"m","tool_return":"ok","status":"success","tool_call_id":"call-1","tool_returns":[{"type":"tool","tool_call_id":"call-1","status":"success","tool_return":[{"type":"text","text":"o"},{"type":"text","text":"k"}]}]}""",
            LettaJson.Options);

        var toolReturn = Assert.Single(Assert.IsType<ToolReturnMessage>(message).Returns);
        Assert.Equal("ok", toolReturn.ToolReturn);
        Assert.Equal("call-1", toolReturn.ToolCallId);
    }

    [Fact]
    public void Deserialize_UserContentParts_ConcatenatesText()
    {
        var message = JsonSerializer.Deserialize<LettaMessage>(
            """{"message_type":"user_message","id":"m","content":[{"type":"text","text":"a"},{"type":"image","source":{"type":"url","url":"u"}},{"type":"text","text":"b"}]}""",
            LettaJson.Options);

        Assert.Equal("ab", Assert.IsType<UserMessage>(message).Content?.Text);
    }

    [Fact]
    public void Serialize_ApprovalAnswers_UseLettasShapes()
    {
        LettaInput[] inputs =
        [
            LettaInput.Approve("call-1", "fine", otid: "o-1"),
            LettaInput.Deny("call-2", "no", otid: "o-2"),
            LettaInput.ToolResult("call-3", "42", otid: "o-3"),
            new LettaApprovalInput { Otid = "o-4", Approvals = [new LettaToolResult { ToolCallId = "call-4", ToolReturn = "r", Status = "error" }] },
        ];

        var json = JsonSerializer.Serialize(inputs, LettaJson.Options);

        Assert.Equal(
            """[{"type":"approval","otid":"o-1","approvals":[{"type":"approval","tool_call_id":"call-1","approve":true,"reason":"fine"}]},""" +
            """{"type":"approval","otid":"o-2","approvals":[{"type":"approval","tool_call_id":"call-2","approve":false,"reason":"no"}]},""" +
            """{"type":"tool_return","otid":"o-3","tool_returns":[{"type":"tool","tool_call_id":"call-3","tool_return":"42","status":"success"}]},""" +
            """{"type":"approval","otid":"o-4","approvals":[{"type":"tool","tool_call_id":"call-4","tool_return":"r","status":"error"}]}]""",
            json);
    }

    [Fact]
    public void Serialize_UpdateAgent_IsSparse()
    {
        var json = JsonSerializer.Serialize(new UpdateAgentRequest { Description = "d" }, LettaJson.Options);

        Assert.Equal("""{"description":"d"}""", json);
    }

    [Fact]
    public void Assembler_TokenFragments_GroupByTypeAndOtid()
    {
        var assembler = new LettaMessageAssembler();
        LettaMessage[] chunks =
        [
            new ReasoningMessage { Id = "m1", Otid = "r", Reasoning = "Let me " },
            new AssistantMessage { Id = "m2", Otid = "a", Content = "Hel" },
            new ReasoningMessage { Id = "m1", Otid = "r", Reasoning = "think" },
            new AssistantMessage { Id = "m2", Otid = "a", Content = "lo", SeqId = 9 },
            new ToolCallMessage { Id = "m3", Otid = "t", ToolCalls = [new LettaToolCall { Name = "create_task", ToolCallId = "call-1", Arguments = "{\"ti" }] },
            new ToolCallMessage { Id = "m3", Otid = "t", ToolCalls = [new LettaToolCall { Arguments = "tle\":1}" }] },
        ];

        foreach (var chunk in chunks)
        {
            assembler.Add(chunk);
        }

        Assert.Collection(assembler.Messages,
            m => Assert.Equal("Let me think", Assert.IsType<ReasoningMessage>(m).Reasoning),
            m =>
            {
                Assert.Equal("Hello", Assert.IsType<AssistantMessage>(m).Content?.Text);
                Assert.Equal(9, m.SeqId);
            },
            m =>
            {
                var call = Assert.Single(Assert.IsType<ToolCallMessage>(m).Calls);
                Assert.Equal("{\"title\":1}", call.Arguments);
                Assert.Equal("create_task", call.Name);
                Assert.Equal("call-1", call.ToolCallId);
            });
    }

    [Fact]
    public void LettaInput_User_GetsAFreshOtidEachTime()
    {
        Assert.NotEqual(LettaInput.User("a").Otid, LettaInput.User("a").Otid);
    }
}
