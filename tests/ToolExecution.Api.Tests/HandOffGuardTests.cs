using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.Model;
using LettaPlatform.ToolExecution.Api.Tests.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LettaPlatform.ToolExecution.Api.Tests.TestHost.ToolExecutionHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

/// <summary>
/// The guard's part of a hand-off (<c>ask_agent</c>, issue 19): only to the same person's other agent, within the depth
/// limit, and every call of the chain audited with its chain id, depth and parent call.
/// </summary>
public sealed class HandOffGuardTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AskAgent_ThePersonsOtherAgent_IsAllowedAndTheChainIsAuditedAndListed()
    {
        var user = NewUser();
        var taskManager = service.AddAgentOf(user, "task-manager", ("query_tasks", false));
        var codeAssistant = service.AddAgentOf(user, "code-assistant", ("query_tasks", false));
        var chain = new HandOffContext { ChainId = Guid.NewGuid(), Depth = 0 };
        var ask = Ask(user, taskManager, "code-assistant") with { HandOff = chain };

        var executed = await service.ExecuteAsync(ask);
        var step = await service.ExecuteAsync(Call(user, codeAssistant, "query_tasks", "{}", callsThisTurn: 1)
            with { HandOff = new HandOffContext { ChainId = chain.ChainId, Depth = 1, ParentToolCallId = ask.ToolCallId } });
        await service.ExecuteAsync(Call(user, codeAssistant, "query_tasks", "{}"));

        Assert.Equal(ToolCallStatus.Success, executed.Status);
        Assert.Equal(codeAssistant.ToString(), executed.Data()["agent_id"]!.GetValue<string>());
        Assert.Equal(1, executed.Data()["depth"]!.GetValue<int>());
        Assert.Equal(ToolCallStatus.Success, step.Status);
        using var client = service.CreateClientFor(user);
        var entries = (await client.GetFromJsonAsync<JsonObject>($"/api/tool-executions?chainId={chain.ChainId}", Token))!["items"]!.AsArray();
        Assert.Equal(
            [("query_tasks", 1, ask.ToolCallId), (HandOffTool.Name, 0, null)],
            entries.Select(e => (e!["tool"]!.GetValue<string>(), e["chainDepth"]!.GetValue<int>(), e["parentToolCallId"]?.GetValue<string>())));
        Assert.All(entries, e => Assert.Equal(chain.ChainId.ToString(), e!["chainId"]!.GetValue<string>()));
        using var stranger = service.CreateClientFor(NewUser());
        Assert.Empty((await stranger.GetFromJsonAsync<JsonObject>($"/api/tool-executions?chainId={chain.ChainId}", Token))!["items"]!.AsArray());
    }

    [Fact]
    public async Task AskAgent_AtTheDepthLimit_IsDeniedAndAudited()
    {
        var user = NewUser();
        var taskManager = service.AddAgentOf(user, "task-manager");
        service.AddAgentOf(user, "code-assistant");
        var chain = Guid.NewGuid();

        var within = await service.ExecuteAsync(Ask(user, taskManager, "code-assistant") with { HandOff = new HandOffContext { ChainId = chain, Depth = 1, ParentToolCallId = "call_up" } });
        var loop = await service.ExecuteAsync(Ask(user, taskManager, "code-assistant") with { HandOff = new HandOffContext { ChainId = chain, Depth = 2, ParentToolCallId = "call_up" } });

        Assert.Equal(ToolCallStatus.Success, within.Status);
        Assert.Equal(ToolCallStatus.Denied, loop.Status);
        Assert.Equal("handoff_depth_exceeded", loop.ErrorCode());
        var denied = Assert.Single(await AuditAsync(user), e => e.Decision == AuditDecisions.Denied);
        Assert.Equal(("handoff_depth_exceeded", chain, 2, "call_up"), (denied.Reason, denied.ChainId, denied.ChainDepth, denied.ParentToolCallId));
    }

    [Fact]
    public async Task AskAgent_AnotherPersonsAgentItselfOrNoSuchAgent_IsDenied()
    {
        var user = NewUser();
        var other = NewUser();
        var taskManager = service.AddAgentOf(user, "task-manager");
        var theirs = service.AddAgentOf(other, "code-assistant");
        var chain = new HandOffContext { ChainId = Guid.NewGuid(), Depth = 0 };

        var foreign = await service.ExecuteAsync(Ask(user, taskManager, "code-assistant", theirs) with { HandOff = chain });
        var missing = await service.ExecuteAsync(Ask(user, taskManager, "documentation") with { HandOff = chain });
        var itself = await service.ExecuteAsync(Ask(user, taskManager, "task-manager") with { HandOff = chain });

        Assert.Equal(("agent_not_found", "agent_not_found", "handoff_to_self"), (foreign.ErrorCode(), missing.ErrorCode(), itself.ErrorCode()));
        Assert.Equal([ToolCallStatus.Denied, ToolCallStatus.Denied, ToolCallStatus.Denied], new[] { foreign.Status, missing.Status, itself.Status });
        Assert.All(await AuditAsync(user), e => Assert.Equal((AuditDecisions.Denied, chain.ChainId), (e.Decision, e.ChainId)));
    }

    [Fact]
    public async Task AskAgent_TemplateWithoutHandOffs_IsNotAllowed()
    {
        var user = NewUser();
        var custom = service.AddAgentOf(user, "custom-template", ("query_tasks", false));
        service.AddAgentOf(user, "code-assistant");

        var executed = await service.ExecuteAsync(Ask(user, custom, "code-assistant") with { HandOff = new HandOffContext { ChainId = Guid.NewGuid(), Depth = 0 } });

        Assert.Equal("tool_not_allowed", executed.ErrorCode());
    }

    [Fact]
    public async Task StepInsideAChain_OverTheSharedTurnBudget_IsDeniedAndAuditedInTheChain()
    {
        var user = NewUser();
        var codeAssistant = service.AddAgentOf(user, "code-assistant", ("query_tasks", false));
        var chain = new HandOffContext { ChainId = Guid.NewGuid(), Depth = 1, ParentToolCallId = "call_ask" };

        // The chain's count so far (the asking turn's calls included) is what the step carries.
        var executed = await service.ExecuteAsync(Call(user, codeAssistant, "query_tasks", "{}", callsThisTurn: 12) with { HandOff = chain });

        Assert.Equal("turn_limit_exceeded", executed.ErrorCode());
        var audit = Assert.Single(await AuditAsync(user));
        Assert.Equal((chain.ChainId, 1, "call_ask"), (audit.ChainId, audit.ChainDepth, audit.ParentToolCallId));
    }

    private static ExecuteToolCall Ask(string user, Guid agent, string template, Guid? agentId = null) =>
        Call(user, agent, HandOffTool.Name, new JsonObject
        {
            ["agent"] = template,
            ["request"] = "review pull request 12 in octo/hello",
            ["agent_id"] = agentId?.ToString(),
        }.ToJsonString().Replace(",\"agent_id\":null", "", StringComparison.Ordinal));

    private async Task<List<ToolExecutionEntry>> AuditAsync(string userId)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ToolExecutionDbContext>().ToolExecutions
            .Where(e => e.UserId == userId).ToListAsync(Token);
    }
}
