using LettaPlatform.LettaDev.Engine;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Tests.Stores;

public sealed class ChatThreadTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ChatThread _thread = new();

    private static RunEntity NewRun() => new() { Id = Ids.New(Ids.Run), AgentId = Ids.New(Ids.Agent), CreatedAt = Now };

    private static JsonObject UserMessage(string text)
    {
        var message = Messages.New("user_message", Now);
        message["content"] = text;
        return message;
    }

    /// <summary>Starts a turn with one user message; the run is the one the thread accepted.</summary>
    private RunEntity Send(string text, params string[] otids) =>
        _thread.Begin(otids, answersApproval: false, _ => new TurnOpening(NewRun(), [UserMessage(text)])).Run;

    private static void Finish(ChatThread thread, RunEntity run, string stopReason = "end_turn") => thread.End(run, stopReason, null, [], Now);

    private PendingApproval AwaitApproval(RunEntity run)
    {
        var request = Messages.New("approval_request_message", Now);
        _thread.Record(run, request, Ids.New(Ids.Step), emit: true);
        var pending = new PendingApproval(request.Str("id")!, run.Id, new ToolCallRequest("call_1", "create_task", "{}"), IsClientTool: true);
        _thread.AwaitApproval(pending);
        return pending;
    }

    [Fact]
    public void Begin_RecordsTheInputAsOneStepOfTheRun()
    {
        var run = Send("hello");

        var history = _thread.ListMessages(new PageQuery(null, null, null, "asc"), null);

        var message = Assert.Single(history);
        Assert.Equal(run.Id, message.Str("run_id"));
        Assert.StartsWith("step-", message.Str("step_id"));
        Assert.NotNull(message.Str("otid"));
        Assert.Null(message["seq_id"]);
        Assert.Equal(message.ToJsonString(), Assert.Single(run.ListMessages(new PageQuery(null, null, null, "asc"))).ToJsonString());
        Assert.Same(run, _thread.LastRun);
    }

    [Fact]
    public void Begin_WhileARunIsUnfinished_Is409NamingThatRun()
    {
        var running = Send("first");

        var error = LettaAssert.Fails(409, () => Send("second"));

        Assert.Equal(running.Id, error.Body()["run_id"]!.GetValue<string>());
        Assert.Single(_thread.MessageIds());
    }

    [Fact]
    public void Begin_AfterTheRunEnds_StartsANewRun()
    {
        var first = Send("first");
        Finish(_thread, first);

        var second = Send("second");

        Assert.NotSame(first, second);
        Assert.Equal(2, _thread.MessageIds().Count);
    }

    [Fact]
    public void Begin_WithAnOtidAlreadySeen_ReturnsThatRunWithoutOpeningAnother()
    {
        var first = Send("hello", "otid-1");
        Finish(_thread, first);
        var opened = 0;

        var (run, started) = _thread.Begin(["otid-1"], answersApproval: false, _ =>
        {
            opened++;
            return new TurnOpening(NewRun(), []);
        });

        Assert.Same(first, run);
        Assert.False(started);
        Assert.Equal(0, opened);
    }

    [Fact]
    public void Begin_WhenOpenThrows_LeavesTheThreadFree()
    {
        LettaAssert.Fails(400, () => _thread.Begin(["otid-1"], answersApproval: false, _ => throw LettaException.BadRequest("refused")));

        var run = Send("retry", "otid-1");

        Assert.Equal(run.Id, _thread.ListMessages(new PageQuery(null, null, null, "asc"), null).Single().Str("run_id"));
    }

    [Fact]
    public void Begin_NewMessageWhileAnApprovalIsPending_Is409PendingApproval()
    {
        var run = Send("create a task");
        var pending = AwaitApproval(run);
        Finish(_thread, run, "requires_approval");

        var error = LettaAssert.Fails(409, () => Send("are you there?"));

        var detail = error.Body()["detail"]!.AsObject();
        Assert.Equal("PENDING_APPROVAL", detail.Str("code"));
        Assert.Equal(pending.RequestMessageId, detail.Str("pending_request_id"));
        Assert.Equal(pending.RequestMessageId, _thread.PendingApprovalMessage()!.Str("id"));
    }

    [Fact]
    public void Begin_AnswerToThePendingApproval_GetsItAndClearsIt()
    {
        var run = Send("create a task");
        var pending = AwaitApproval(run);
        Finish(_thread, run, "requires_approval");
        PendingApproval? answered = null;

        _thread.Begin([], answersApproval: true, p =>
        {
            answered = p;
            return new TurnOpening(NewRun(), [Messages.New("approval_response_message", Now)]);
        });

        Assert.Equal(pending, answered);
        Assert.Null(_thread.PendingApprovalMessage());
    }

    [Fact]
    public void Begin_AnswerWithNothingPending_Is400()
    {
        LettaAssert.Fails(400, () => _thread.Begin([], answersApproval: true, _ => new TurnOpening(NewRun(), [])));
    }

    [Theory]
    [InlineData("cancelled", false)]
    [InlineData("requires_approval", true)]
    public void End_DropsAPendingApprovalOnlyWhenCancelled(string stopReason, bool stillPending)
    {
        var run = Send("create a task");
        AwaitApproval(run);

        Finish(_thread, run, stopReason);

        Assert.True(run.Finished);
        Assert.Equal(stillPending, _thread.PendingApprovalMessage() is not null);
    }

    [Fact]
    public void ListMessages_ReturnsCopies()
    {
        Send("original");

        _thread.ListMessages(new PageQuery(null, null, null, "asc"), null)[0]["content"] = "changed";

        Assert.Equal("original", _thread.History()[0].Str("content"));
    }
}
