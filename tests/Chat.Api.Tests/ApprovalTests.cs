using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LettaPlatform.Chat.Api.Tests;

public sealed class ApprovalTests(ChatFixture fixture)
{
    private const string OpenPullRequest = "open a pull request in octo/hello from feature to main: Add greeting";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StreamMessage_CreatePullRequest_StopsForApprovalWithoutRunningTheTool()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        using var client = new ChatClient(fixture.Chat.CreateClientFor(userId));
        var sessionId = await client.CreateSessionIdAsync();

        var events = await client.StreamMessageAsync(sessionId, OpenPullRequest);

        var call = Assert.Single(events, e => e.Type == "tool_call");
        Assert.Equal("create_pull_request", call.Str("name"));
        Assert.Contains("octo/hello", call.Str("arguments"), StringComparison.Ordinal);
        var approval = Assert.Single(events, e => e.Type == "approval_required");
        Assert.Equal(call.Str("toolCallId"), approval.Str("toolCallId"));
        Assert.False(string.IsNullOrEmpty(approval.Str("reason")));
        Assert.Equal("awaiting_approval", events[^1].Str("status"));
        Assert.DoesNotContain(fixture.StandIns.ToolCalls, c => c.ToolCallId == call.Str("toolCallId"));

        var session = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}", Token);
        Assert.Equal(call.Str("toolCallId"), session!["pendingApproval"]!["toolCallId"]!.GetValue<string>());

        using var blocked = await client.Http.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "hello?" }, Token);
        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
        Assert.Equal("approval_pending", (await blocked.Content.ReadFromJsonAsync<JsonObject>(Token))!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnswerApproval_Approve_ExecutesWithApprovedByAndResumesTheTurn()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        using var client = new ChatClient(fixture.Chat.CreateClientFor(userId));
        var sessionId = await client.CreateSessionIdAsync();
        var first = await client.SendAsync(sessionId, OpenPullRequest);
        var toolCallId = PendingToolCallId(first);

        var events = await client.StreamAsync($"/api/chat/sessions/{sessionId}/approvals/stream", new { toolCallId, approve = true });

        var result = Assert.Single(events, e => e.Type == "tool_result");
        Assert.Equal("success", result.Str("status"));
        Assert.Contains("pull/7", result.Str("result"), StringComparison.Ordinal);
        Assert.Contains("I opened pull request #7 (https://github.test/octo/hello/pull/7).", string.Concat(events.Where(e => e.Type == "assistant").Select(e => e.Str("text"))), StringComparison.Ordinal);
        Assert.Equal("completed", events[^1].Str("status"));
        var executed = Assert.Single(fixture.StandIns.ToolCalls, c => c.ToolCallId == toolCallId);
        Assert.Equal(userId, executed.ApprovedBy);
        Assert.Equal("create_pull_request", executed.ToolName);

        var next = await client.SendAsync(sessionId, "thanks");
        Assert.Equal("completed", next["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnswerApproval_Deny_TellsTheAgentAndNeverRunsTheTool()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();
        var toolCallId = PendingToolCallId(await client.SendAsync(sessionId, OpenPullRequest));

        var answer = await client.AnswerAsync(sessionId, toolCallId, approve: false, reason: "not today");

        Assert.Equal("completed", answer["status"]!.GetValue<string>());
        var events = answer["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var result = Assert.Single(events, e => e["type"]!.GetValue<string>() == "tool_result");
        Assert.Equal("denied", result["status"]!.GetValue<string>());
        Assert.Equal("not today", result["result"]!.GetValue<string>());
        Assert.Contains("not today", events.Where(e => e["type"]!.GetValue<string>() == "assistant").Select(e => e["text"]!.GetValue<string>()).Single(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.StandIns.ToolCalls, c => c.ToolCallId == toolCallId);

        using var again = await client.Http.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/approvals", new { toolCallId, approve = true }, Token);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task StaleApprovalSweep_PendingPastTimeout_DeniesItSoTheSessionTakesMessagesAgain()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();
        var toolCallId = PendingToolCallId(await client.SendAsync(sessionId, OpenPullRequest));
        var expired = 0L;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ChatMetrics.MeterName && instrument.Name is "chat.approvals.expired")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref expired, value));
        listener.Start();

        await using (var scope = fixture.Chat.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ChatDbContext>();
            await db.PendingToolCalls.Where(p => p.ToolCallId == toolCallId)
                .ExecuteUpdateAsync(p => p.SetProperty(x => x.CreatedAt, DateTimeOffset.UtcNow.AddDays(-2)), Token);
        }

        var worker = fixture.Chat.Services.GetServices<IHostedService>().OfType<StaleApprovalWorker>().Single();
        await worker.SweepAsync(Token);
        listener.RecordObservableInstruments();

        Assert.True(Interlocked.Read(ref expired) >= 1, "chat.approvals.expired did not count the expired approval");

        await using (var scope = fixture.Chat.Services.CreateAsyncScope())
        {
            var pending = await scope.ServiceProvider.GetRequiredService<ChatDbContext>().PendingToolCalls.SingleAsync(p => p.ToolCallId == toolCallId, Token);
            Assert.Equal("expired", pending.Status);
            Assert.Equal("system", pending.ResolvedBy);
        }

        var next = await client.SendAsync(sessionId, "are you still there?");
        Assert.Equal("completed", next["status"]!.GetValue<string>());
        Assert.DoesNotContain(fixture.StandIns.ToolCalls, c => c.ToolCallId == toolCallId);
    }

    private static string PendingToolCallId(JsonObject answer)
    {
        Assert.Equal("awaiting_approval", answer["status"]!.GetValue<string>());
        return answer["events"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "approval_required")!["toolCallId"]!.GetValue<string>();
    }
}
