using System.Text.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.Letta.Tests.Contract;

/// <summary>
/// The walk-throughs the contract tests run against LettaDev: each drives a group of operations the way the platform
/// does and checks that the answers make sense, while the contract handler checks every exchange against the spec.
/// </summary>
internal static class LettaDevScenarios
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly LettaClientTool CreateTask = new()
    {
        Name = "create_task",
        Description = "Creates a task for the user",
        Parameters = JsonNode.Parse("""{"type":"object","properties":{"title":{"type":"string"}},"required":["title"]}""")!.AsObject(),
    };

    public static Task<AgentState> CreateAgent(ILettaClient client, string name) => client.CreateAgentAsync(new CreateAgentRequest
    {
        Name = name,
        System = "You are a helpful assistant.",
        AgentType = "letta_v1_agent",
        Model = "openai/gpt-4.1-mini",
        Embedding = "openai/text-embedding-3-small",
        IncludeBaseTools = true,
        Description = "contract test agent",
        Tags = ["user:contract", $"name:{name}"],
        Metadata = new JsonObject { ["template"] = "helper", ["version"] = 3 },
        MemoryBlocks =
        [
            new CreateBlockRequest { Label = "human", Value = "The user is called Ada.", Limit = 5000, Description = "What I know about the user" },
            new CreateBlockRequest { Label = "persona", Value = "I am a concise assistant." },
        ],
    }, Ct);

    public static async Task<List<LettaStreamEvent>> Collect(IAsyncEnumerable<LettaStreamEvent> stream)
    {
        var events = new List<LettaStreamEvent>();
        await foreach (var streamEvent in stream.WithCancellation(Ct))
        {
            events.Add(streamEvent);
        }
        return events;
    }

    public static async Task AgentsBlocksAndFiles(ILettaClient client)
    {
        var health = await client.GetHealthAsync(Ct);
        Assert.False(string.IsNullOrEmpty(health.Version));
        await client.GetReadinessAsync(Ct);

        var name = "contract-" + Guid.NewGuid().ToString("N")[..8];
        var agent = await CreateAgent(client, name);
        Assert.Equal(name, agent.Name);
        Assert.Contains($"name:{name}", agent.Tags);
        Assert.Equal(3, agent.Metadata?["version"]?.GetValue<int>());

        var listed = await client.ListAgentsAsync(new ListAgentsQuery
        {
            Tags = ["user:contract", $"name:{name}"],
            MatchAllTags = true,
            Include = [AgentInclude.Blocks, AgentInclude.Tools, AgentInclude.Tags],
            Limit = 10,
            Order = LettaSortOrder.Desc,
        }, Ct);
        Assert.Equal(agent.Id, Assert.Single(listed).Id);
        Assert.Equal(agent.Id, Assert.Single(await client.ListAgentsAsync(new ListAgentsQuery { Name = name }, Ct)).Id);

        var fetched = await client.GetAgentAsync(agent.Id, [AgentInclude.Blocks, AgentInclude.PendingApproval], Ct);
        Assert.Contains(fetched.Blocks, b => b.Label == "human" && b.Value == "The user is called Ada.");

        var modified = await client.ModifyAgentAsync(agent.Id, new UpdateAgentRequest { Description = "renamed", Tags = ["user:contract", $"name:{name}", "edited"] }, Ct);
        Assert.Equal("renamed", modified.Description);
        Assert.Equal(name, modified.Name);

        var blocks = await client.ListAgentBlocksAsync(agent.Id, Ct);
        Assert.Contains(blocks, b => b.Label == "persona");
        var human = await client.GetAgentBlockAsync(agent.Id, "human", Ct);
        Assert.Equal(5000, human.Limit);
        var edited = await client.ModifyAgentBlockAsync(agent.Id, "human", new BlockUpdate { Value = "The user is called Ada Lovelace." }, Ct);
        Assert.Equal("The user is called Ada Lovelace.", edited.Value);
        Assert.Equal(human.Id, edited.Id);

        var shared = await client.CreateBlockAsync(new CreateBlockRequest { Label = "team", Value = "Shared notes", Tags = ["shared"], Metadata = new JsonObject { ["owner"] = "platform" } }, Ct);
        Assert.Equal("Shared notes", (await client.GetBlockAsync(shared.Id, Ct)).Value);
        Assert.Contains(await client.ListBlocksAsync(new ListBlocksQuery { Label = "team", Limit = 50 }, Ct), b => b.Id == shared.Id);
        Assert.Equal("Shared notes v2", (await client.ModifyBlockAsync(shared.Id, new BlockUpdate { Value = "Shared notes v2", Description = "team notes" }, Ct)).Value);
        var attached = await client.AttachBlockAsync(agent.Id, shared.Id, Ct);
        Assert.Equal(agent.Id, attached.Id);
        Assert.Contains(await client.ListAgentBlocksAsync(agent.Id, Ct), b => b.Id == shared.Id);
        await client.DetachBlockAsync(agent.Id, shared.Id, Ct);
        Assert.DoesNotContain(await client.ListAgentBlocksAsync(agent.Id, Ct), b => b.Id == shared.Id);
        await client.DeleteBlockAsync(shared.Id, Ct);
        await Assert.ThrowsAsync<LettaNotFoundException>(() => client.GetBlockAsync(shared.Id, Ct));

        var tools = await client.ListToolsAsync(new ListToolsQuery { Limit = 100 }, Ct);
        Assert.NotEmpty(tools);
        Assert.All(tools, t => Assert.False(string.IsNullOrEmpty(t.Name)));
        await client.ListAgentToolsAsync(agent.Id, Ct);

        var file = await client.ExportAgentAsync(agent.Id, cancellationToken: Ct);
        using (var document = JsonDocument.Parse(file))
        {
            Assert.Equal(JsonValueKind.Array, document.RootElement.GetProperty("agents").ValueKind);
        }
        var imported = await client.ImportAgentAsync(file, new ImportAgentOptions { Name = name + "-copy" }, Ct);
        var copyId = Assert.Single(imported.AgentIds);
        Assert.NotEqual(agent.Id, copyId);
        var copy = await client.GetAgentAsync(copyId, [AgentInclude.Blocks], Ct);
        Assert.Contains(copy.Blocks, b => b.Label == "human" && b.Value == "The user is called Ada Lovelace.");

        await client.DeleteAgentAsync(copyId, Ct);
        await client.DeleteAgentAsync(agent.Id, Ct);
        await Assert.ThrowsAsync<LettaNotFoundException>(() => client.GetAgentAsync(agent.Id, cancellationToken: Ct));
    }

    /// <summary>
    /// A project's shared block as agent-management makes it: one standalone block, given to one agent on create
    /// (<c>block_ids</c>) and attached to another; a memory tool of one agent changes what the other reads.
    /// </summary>
    public static async Task SharedProjectBlock(ILettaClient client)
    {
        var name = "project-" + Guid.NewGuid().ToString("N")[..8];
        var block = await client.CreateBlockAsync(new CreateBlockRequest
        {
            Label = "project_context",
            Value = "Project: Apollo",
            Limit = 5000,
            Description = "shared by the project's agents",
            Metadata = new JsonObject { ["platform_project_id"] = name },
        }, Ct);
        var first = await client.CreateAgentAsync(new CreateAgentRequest
        {
            Name = name + "-a",
            AgentType = "letta_v1_agent",
            IncludeBaseTools = true,
            MemoryBlocks = [new CreateBlockRequest { Label = "persona", Value = "I am the first agent." }],
            BlockIds = [block.Id],
        }, Ct);
        var second = await CreateAgent(client, name + "-b");
        await client.AttachBlockAsync(second.Id, block.Id, Ct);

        await client.SendMessageAsync(first.Id, new LettaMessageRequest { Messages = [LettaInput.User("remember in project_context: We ship on Fridays")] }, Ct);

        var holders = await client.ListAgentsForBlockAsync(block.Id, 10, Ct);
        Assert.Equal(new[] { first.Id, second.Id }.Order(), holders.Select(a => a.Id).Order());
        Assert.Equal("Project: Apollo\nWe ship on Fridays", (await client.GetAgentBlockAsync(second.Id, "project_context", Ct)).Value);
        Assert.Equal(block.Id, (await client.GetAgentBlockAsync(second.Id, "project_context", Ct)).Id);

        await client.DetachBlockAsync(second.Id, block.Id, Ct);
        Assert.Equal(first.Id, Assert.Single(await client.ListAgentsForBlockAsync(block.Id, cancellationToken: Ct)).Id);
        await client.DeleteAgentAsync(first.Id, Ct);
        await client.DeleteAgentAsync(second.Id, Ct);
        Assert.Equal("Project: Apollo\nWe ship on Fridays", (await client.GetBlockAsync(block.Id, Ct)).Value);
        await client.DeleteBlockAsync(block.Id, Ct);
    }

    public static async Task MessagesAndRuns(ILettaClient client)
    {
        var agent = await CreateAgent(client, "messages-" + Guid.NewGuid().ToString("N")[..8]);

        var reply = await client.SendMessageAsync(agent.Id, new LettaMessageRequest { Messages = [LettaInput.User("Hello there")] }, Ct);
        Assert.Equal("end_turn", reply.StopReason?.StopReason);
        Assert.Contains("Hello there", Assert.Single(reply.Messages.OfType<AssistantMessage>()).Content?.Text);
        Assert.True(reply.Usage?.StepCount >= 1);

        var tokens = await Collect(client.StreamMessageAsync(agent.Id,
            new LettaMessageRequest { Messages = [LettaInput.User("Tell me about yourself")], ClientTools = [CreateTask] },
            new LettaStreamOptions { StreamTokens = true, IncludePings = true }, Ct));
        var assembler = new LettaMessageAssembler();
        foreach (var message in tokens.OfType<LettaMessageEvent>())
        {
            assembler.Add(message.Message);
        }
        Assert.Contains("Tell me about yourself", Assert.Single(assembler.Messages.OfType<AssistantMessage>()).Content?.Text);
        AssertLettaOrder(tokens);

        var whole = await Collect(client.StreamMessageAsync(agent.Id,
            new LettaMessageRequest { Messages = [LettaInput.User("remember that I like tea")] },
            new LettaStreamOptions { StreamTokens = false }, Ct));
        AssertLettaOrder(whole);
        Assert.Contains(whole.OfType<LettaMessageEvent>(), e => e.Message is ToolCallMessage);
        Assert.Contains(whole.OfType<LettaMessageEvent>(), e => e.Message is ToolReturnMessage);
        Assert.Contains("tea", (await client.GetAgentBlockAsync(agent.Id, "human", Ct)).Value);

        var history = await client.ListMessagesAsync(agent.Id, new ListMessagesQuery { Limit = 100, Order = LettaSortOrder.Asc }, Ct);
        Assert.Contains(history, m => m is UserMessage u && u.Content?.Text.Contains("Hello there") == true);
        var paged = new List<LettaMessage>();
        await foreach (var message in client.ListAllMessagesAsync(agent.Id, new ListMessagesQuery { Limit = 2, Order = LettaSortOrder.Asc }, Ct))
        {
            paged.Add(message);
        }
        Assert.Equal(history.Select(m => (m.Id, m.MessageType)), paged.Select(m => (m.Id, m.MessageType)));

        var runId = whole.OfType<LettaUsageEvent>().Single().Usage.RunIds?.FirstOrDefault()
            ?? whole.OfType<LettaMessageEvent>().Select(e => e.Message.RunId).First(r => r is not null)!;
        var run = await client.GetRunAsync(runId, Ct);
        Assert.Equal(agent.Id, run.AgentId);
        var replay = await Collect(client.ResumeRunStreamAsync(runId, startingAfter: 0, cancellationToken: Ct));
        Assert.IsType<LettaDoneEvent>(replay[^1]);
        Assert.Contains(replay.OfType<LettaMessageEvent>(), e => e.Message is ToolReturnMessage);
    }

    public static async Task ApprovalRoundTrip(ILettaClient client)
    {
        var agent = await CreateAgent(client, "approval-" + Guid.NewGuid().ToString("N")[..8]);

        var first = await Collect(client.StreamMessageAsync(agent.Id,
            new LettaMessageRequest { Messages = [LettaInput.User("create a task: Write docs")], ClientTools = [CreateTask] }, cancellationToken: Ct));
        AssertLettaOrder(first);
        Assert.Equal("requires_approval", first.OfType<LettaStopReasonEvent>().Single().StopReason);
        var assembler = new LettaMessageAssembler();
        foreach (var message in first.OfType<LettaMessageEvent>())
        {
            assembler.Add(message.Message);
        }
        var call = Assert.Single(assembler.Messages.OfType<ApprovalRequestMessage>().Single().Calls);
        Assert.Equal("create_task", call.Name);
        Assert.Equal("Write docs", JsonNode.Parse(call.Arguments!)!["title"]!.GetValue<string>());

        var pending = await Assert.ThrowsAsync<LettaPendingApprovalException>(() =>
            client.SendMessageAsync(agent.Id, new LettaMessageRequest { Messages = [LettaInput.User("are you there?")], ClientTools = [CreateTask] }, Ct));
        Assert.Equal("PENDING_APPROVAL", pending.ErrorCode);
        var waiting = await client.GetAgentAsync(agent.Id, [AgentInclude.PendingApproval], Ct);
        Assert.Equal(call.ToolCallId, waiting.PendingApproval?.Calls.Single().ToolCallId);

        var answer = await Collect(client.StreamMessageAsync(agent.Id,
            new LettaMessageRequest { Messages = [LettaInput.ToolResult(call.ToolCallId!, """{"id":"task-1","title":"Write docs"}""")], ClientTools = [CreateTask] },
            cancellationToken: Ct));
        AssertLettaOrder(answer);
        Assert.Equal("end_turn", answer.OfType<LettaStopReasonEvent>().Single().StopReason);
        var toolReturn = answer.OfType<LettaMessageEvent>().Select(e => e.Message).OfType<ToolReturnMessage>().Single();
        Assert.Equal(call.ToolCallId, toolReturn.Returns.Single().ToolCallId);
        var replyAssembler = new LettaMessageAssembler();
        foreach (var message in answer.OfType<LettaMessageEvent>())
        {
            replyAssembler.Add(message.Message);
        }
        // The model reads the tool's return and answers with a sentence about it.
        Assert.Equal("I created the task \"Write docs\".", replyAssembler.Messages.OfType<AssistantMessage>().Single().Content?.Text);

        var second = await client.SendMessageAsync(agent.Id,
            new LettaMessageRequest { Messages = [LettaInput.User("/tool create_task {\"title\":\"Delete repo\"}")], ClientTools = [CreateTask] }, Ct);
        Assert.Equal("requires_approval", second.StopReason?.StopReason);
        var denied = second.Messages.OfType<ApprovalRequestMessage>().Single().Calls.Single();
        var afterDenial = await client.SendMessageAsync(agent.Id,
            new LettaMessageRequest { Messages = [LettaInput.Deny(denied.ToolCallId!, "not allowed")], ClientTools = [CreateTask] }, Ct);
        Assert.Equal("end_turn", afterDenial.StopReason?.StopReason);
        Assert.Contains(afterDenial.Messages.OfType<ToolReturnMessage>(), r => r.Returns.Single().Status == "error");

        var third = await client.SendMessageAsync(agent.Id,
            new LettaMessageRequest { Messages = [LettaInput.User("create a task: Review PR")], ClientTools = [CreateTask] }, Ct);
        var inline = third.Messages.OfType<ApprovalRequestMessage>().Single().Calls.Single();
        var afterInline = await client.SendMessageAsync(agent.Id, new LettaMessageRequest
        {
            Messages = [new LettaApprovalInput { Approvals = [new LettaToolResult { ToolCallId = inline.ToolCallId!, ToolReturn = "task-2 created", Status = "success" }] }],
            ClientTools = [CreateTask],
        }, Ct);
        Assert.Equal("end_turn", afterInline.StopReason?.StopReason);
        Assert.Contains("task-2 created", afterInline.Messages.OfType<AssistantMessage>().Single().Content?.Text);
    }

    public static async Task Conversations(ILettaClient client)
    {
        var agent = await CreateAgent(client, "conversation-" + Guid.NewGuid().ToString("N")[..8]);

        var conversation = await client.CreateConversationAsync(agent.Id, new CreateConversationRequest { Summary = "support chat", IsolatedBlockLabels = ["human"] }, Ct);
        Assert.Equal(agent.Id, conversation.AgentId);
        Assert.Equal(conversation.Id, (await client.GetConversationAsync(conversation.Id, Ct)).Id);
        Assert.Contains(await client.ListConversationsAsync(new ListConversationsQuery { AgentId = agent.Id, Limit = 10 }, Ct), c => c.Id == conversation.Id);

        var reply = await client.SendConversationMessageAsync(conversation.Id, new LettaMessageRequest { Messages = [LettaInput.User("First in thread")] }, Ct);
        Assert.Equal("end_turn", reply.StopReason?.StopReason);

        var streamed = await Collect(client.StreamConversationMessageAsync(conversation.Id,
            new LettaMessageRequest { Messages = [LettaInput.User("Second in thread")] }, new LettaStreamOptions { StreamTokens = true }, Ct));
        AssertLettaOrder(streamed);
        var resumed = await Collect(client.ResumeConversationStreamAsync(conversation.Id, startingAfter: 0, cancellationToken: Ct));
        Assert.IsType<LettaDoneEvent>(resumed[^1]);
        Assert.Contains(resumed.OfType<LettaMessageEvent>(), e => e.Message is AssistantMessage);

        var thread = await client.ListConversationMessagesAsync(conversation.Id, new ListMessagesQuery { Limit = 50, Order = LettaSortOrder.Asc }, Ct);
        Assert.Contains(thread, m => m is UserMessage u && u.Content?.Text.Contains("Second in thread") == true);
        var all = new List<LettaMessage>();
        await foreach (var message in client.ListAllConversationMessagesAsync(conversation.Id, new ListMessagesQuery { Limit = 3, Order = LettaSortOrder.Asc }, Ct))
        {
            all.Add(message);
        }
        Assert.Equal(thread.Count, all.Count);

        try
        {
            await client.CancelConversationAsync(conversation.Id, Ct);
        }
        catch (LettaConflictException)
        {
        }
    }

    /// <summary>Letta's order: message chunks (and pings), then stop_reason, then usage_statistics, then [DONE].</summary>
    public static void AssertLettaOrder(IReadOnlyList<LettaStreamEvent> events)
    {
        var stop = events.ToList().FindIndex(e => e is LettaStopReasonEvent);
        var usage = events.ToList().FindIndex(e => e is LettaUsageEvent);
        Assert.True(stop >= 0, "no stop_reason");
        Assert.True(usage == stop + 1, "usage_statistics does not follow stop_reason");
        Assert.IsType<LettaDoneEvent>(events[^1]);
        Assert.Equal(events.Count - 2, usage);
        Assert.All(events.Take(stop), e => Assert.True(e is LettaMessageEvent or LettaPingEvent, $"{e.GetType().Name} before stop_reason"));
    }
}
