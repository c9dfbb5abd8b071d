using static LettaPlatform.Letta.Tests.Contract.LettaDevScenarios;

namespace LettaPlatform.Letta.Tests.Contract;

/// <summary>
/// The client's whole operation set run against LettaDev, with every request the client sends and every
/// response and stream chunk LettaDev returns checked against Letta's published spec.
/// </summary>
public sealed class LettaDevContractTests(LettaDevFixture fixture) : IClassFixture<LettaDevFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The operations the platform uses; each must be exercised with a successful, conforming exchange.</summary>
    public static readonly string[] PlatformOperations =
    [
        "check_health", "check_readiness",
        "create_agent", "list_agents", "retrieve_agent", "modify_agent", "delete_agent", "export_agent", "import_agent",
        "list_core_memory_blocks", "retrieve_core_memory_block", "modify_core_memory_block", "attach_core_memory_block", "detach_core_memory_block",
        "create_block", "list_blocks", "retrieve_block", "modify_block", "delete_block", "list_agents_for_block",
        "list_tools", "list_tools_for_agent",
        "send_message", "list_messages",
        "create_conversation", "retrieve_conversation", "list_conversations", "send_conversation_message", "list_conversation_messages",
        "retrieve_stream_for_run", "retrieve_conversation_stream", "retrieve_run",
    ];

    private static void AssertConforms(ContractLog log) =>
        Assert.True(log.Violations.IsEmpty, "Contract violations:\n" + string.Join("\n", log.Violations.Distinct()));

    [Fact]
    public async Task HealthAgentsBlocksToolsAndAgentFiles_Conform()
    {
        var log = new ContractLog();
        using var host = fixture.CreateHost(log);
        await AgentsBlocksAndFiles(host.Client);
        AssertConforms(log);
    }

    [Fact]
    public async Task SharedProjectBlock_Conforms()
    {
        var log = new ContractLog();
        using var host = fixture.CreateHost(log);
        await SharedProjectBlock(host.Client);
        AssertConforms(log);
    }

    [Fact]
    public async Task MessagesStreamsHistoryAndRuns_Conform()
    {
        var log = new ContractLog();
        using var host = fixture.CreateHost(log);
        await MessagesAndRuns(host.Client);
        AssertConforms(log);
    }

    [Fact]
    public async Task ClientToolApprovalRoundTrip_Conforms()
    {
        var log = new ContractLog();
        using var host = fixture.CreateHost(log);
        await ApprovalRoundTrip(host.Client);
        AssertConforms(log);
    }

    [Fact]
    public async Task Conversations_Conform()
    {
        var log = new ContractLog();
        using var host = fixture.CreateHost(log);
        await Conversations(host.Client);
        AssertConforms(log);
    }

    [Fact]
    public async Task EveryOperationThePlatformUses_IsExercisedSuccessfully()
    {
        var log = new ContractLog();
        using var host = fixture.CreateHost(log);

        await AgentsBlocksAndFiles(host.Client);
        await MessagesAndRuns(host.Client);
        await ApprovalRoundTrip(host.Client);
        await Conversations(host.Client);
        await SharedProjectBlock(host.Client);

        var missing = PlatformOperations.Where(op => !log.Operations.TryGetValue(op, out var ok) || ok == 0).ToArray();
        Assert.True(missing.Length == 0, "Not exercised with a 2xx: " + string.Join(", ", missing));
        AssertConforms(log);
    }

    [Fact]
    public async Task WrongPassword_IsUnauthorizedWithLettasBody()
    {
        var log = new ContractLog();
        using var host = fixture.CreateHost(log, password: "wrong");

        var error = await Assert.ThrowsAsync<LettaUnauthorizedException>(() => host.Client.ListAgentsAsync(cancellationToken: Ct));

        Assert.Equal("Unauthorized", error.Detail);
        Assert.Equal("ok", (await host.Client.GetHealthAsync(Ct)).Status is { Length: > 0 } ? "ok" : "");
        AssertConforms(log);
    }

    [Fact]
    public async Task MissingAgent_IsNotFoundWithLettasBody()
    {
        var log = new ContractLog();
        using var host = fixture.CreateHost(log);

        var error = await Assert.ThrowsAsync<LettaNotFoundException>(() =>
            host.Client.GetAgentAsync("agent-00000000-0000-4000-8000-000000000000", cancellationToken: Ct));

        Assert.False(string.IsNullOrEmpty(error.Detail));
        AssertConforms(log);
    }

    [Fact]
    public async Task CancelWithNothingRunning_AnswersSuccessOrConflict()
    {
        var log = new ContractLog();
        using var host = fixture.CreateHost(log);
        var agent = await CreateAgent(host.Client, "cancel-" + Guid.NewGuid().ToString("N")[..8]);

        try
        {
            await host.Client.CancelRunsAsync(agent.Id, cancellationToken: Ct);
        }
        catch (LettaConflictException conflict)
        {
            Assert.Equal(System.Net.HttpStatusCode.Conflict, conflict.StatusCode);
        }

        Assert.True(log.Operations.ContainsKey("cancel_message"));
        AssertConforms(log);
    }

    [Fact]
    public async Task SlowStep_StreamsPingsThatConform()
    {
        var log = new ContractLog();
        using var host = fixture.CreateHost(log);
        var agent = await CreateAgent(host.Client, "pings-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.ScriptAsync(agent.Id, """[{"type":"delay","ms":400},{"type":"assistant","text":"done"}]""", Ct);

        var events = await Collect(host.Client.StreamMessageAsync(agent.Id, new LettaMessageRequest { Messages = [LettaInput.User("take your time")] }, cancellationToken: Ct));

        Assert.Contains(events, e => e is LettaPingEvent);
        AssertLettaOrder(events);
        AssertConforms(log);
    }

    [Fact]
    public async Task FailingStep_StreamsStopReasonErrorEventAndDoneThatConform()
    {
        var log = new ContractLog();
        using var host = fixture.CreateHost(log);
        var agent = await CreateAgent(host.Client, "failing-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.ScriptAsync(agent.Id, """[{"type":"error","stop_reason":"llm_api_error","message":"provider exploded"}]""", Ct);

        var events = await Collect(host.Client.StreamMessageAsync(agent.Id, new LettaMessageRequest { Messages = [LettaInput.User("fail please")] }, cancellationToken: Ct));

        Assert.Equal("llm_api_error", events.OfType<LettaStopReasonEvent>().Single().StopReason);
        var error = events.OfType<LettaErrorEvent>().Single();
        Assert.Contains("provider exploded", error.Message + error.Detail);
        Assert.IsType<LettaDoneEvent>(events[^1]);
        AssertConforms(log);
    }
}
