using System.Security.Cryptography;
using System.Text;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.Model;
using Microsoft.EntityFrameworkCore;
using LettaPlatform.ToolExecution.Api.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static LettaPlatform.ToolExecution.Api.Tests.TestHost.ToolExecutionHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

/// <summary>Checks 5 and 7 where they need small limits: the rate limit, the timeout and the result size cap.</summary>
public sealed class GuardLimitsTests(LimitedToolExecutionHost service) : IClassFixture<LimitedToolExecutionHost>
{
    [Fact]
    public async Task Check5_RateLimit_DeniesBeyondTheLimit_ButNotARedeliveryOfACountedCall()
    {
        var user = NewUser();
        var agent = service.AddAgentWithAllTools(user);
        var calls = Enumerable.Range(0, LimitedToolExecutionHost.RateLimitCalls).Select(_ => Call(user, agent, "query_tasks", "{}")).ToList();
        foreach (var call in calls)
        {
            Assert.Equal(ToolCallStatus.Success, (await service.ExecuteAsync(call)).Status);
        }

        var beyond = await service.ExecuteAsync(Call(user, agent, "query_tasks", "{}"));
        var redelivered = await service.ExecuteAsync(calls[0]);
        var otherUser = NewUser();
        var unaffected = await service.ExecuteAsync(Call(otherUser, service.AddAgentWithAllTools(otherUser), "query_tasks", "{}"));

        Assert.Equal(("rate_limited", ToolCallStatus.Denied), (beyond.ErrorCode(), beyond.Status));
        Assert.True(redelivered.Replayed);
        Assert.Equal(ToolCallStatus.Success, unaffected.Status);
    }

    [Fact]
    public async Task Check1_AgentManagementDoesNotAnswer_FailsClosedWithARetryableError()
    {
        var user = NewUser();
        var agent = service.AddAgentWithAllTools(user);
        service.SilentAgents[agent] = true;

        var executed = await service.ExecuteAsync(Call(user, agent, "create_task", """{"title":"Unverified"}"""));

        Assert.Equal(("agent_directory_unavailable", ToolCallStatus.Error), (executed.ErrorCode(), executed.Status));
        service.SilentAgents.TryRemove(agent, out _);
        Assert.Equal(ToolCallStatus.Success, (await service.ExecuteAsync(Call(user, agent, "create_task", """{"title":"Verified"}"""))).Status);
    }

    [Fact]
    public async Task Check7_ToolSlowerThanTheTimeout_EndsWithATimeoutError()
    {
        var user = NewUser();
        await service.ConnectGitHubAsync(user);

        var started = DateTime.UtcNow;
        var executed = await service.ExecuteAsync(Call(user, service.AddAgentWithAllTools(user), "get_repository_info", """{"repository":"octo/slow"}"""));

        Assert.Equal(("timeout", ToolCallStatus.Error), (executed.ErrorCode(), executed.Status));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4.5), "the call should end at the 2 s timeout, not when GitHub answers");
    }

    [Fact]
    public async Task Check6_CallWhoseEarlierAttemptWasInterrupted_IsNotRunAgainButReportedAsUnknown()
    {
        var user = NewUser();
        var call = Call(user, service.AddAgentWithAllTools(user), "create_task", """{"title":"Maybe"}""");
        await using (var scope = service.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ToolExecutionDbContext>();
            db.ToolCalls.Add(new ToolCallRecord
            {
                UserId = user,
                ToolCallId = call.ToolCallId,
                Tool = call.ToolName,
                ArgumentsHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(call.ArgumentsJson))),
                StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var executed = await service.ExecuteAsync(call);

        Assert.Equal(("outcome_unknown", ToolCallStatus.Error, true), (executed.ErrorCode(), executed.Status, executed.Replayed));
        await using var check = service.Services.CreateAsyncScope();
        Assert.False(await check.ServiceProvider.GetRequiredService<ToolExecutionDbContext>().Tasks.AnyAsync(t => t.UserId == user, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Check7_LargeResult_IsCutToTheCapAndMarkedTruncated()
    {
        var user = NewUser();
        var agent = service.AddAgentWithAllTools(user);
        var description = new string('x', 1000);
        for (var i = 0; i < LimitedToolExecutionHost.RateLimitCalls - 1; i++)
        {
            await service.ExecuteAsync(Call(user, agent, "create_task", $$"""{"title":"Big {{i}}","description":"{{description}}"}"""));
        }

        var executed = await service.ExecuteAsync(Call(user, agent, "query_tasks", "{}"));

        Assert.True(executed.Result.Length <= LimitedToolExecutionHost.MaxResultChars);
        Assert.True(Json.Parse(executed.Result)["truncated"]!.GetValue<bool>());
        Assert.InRange(executed.Data()["tasks"]!.AsArray().Count, 1, LimitedToolExecutionHost.RateLimitCalls - 2);
    }
}
