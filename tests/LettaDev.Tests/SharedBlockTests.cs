namespace LettaPlatform.LettaDev.Tests;

/// <summary>One block held by several agents (a project's shared memory): what one agent writes, the others read at once.</summary>
public sealed class SharedBlockTests(LettaDevHost factory) : IClassFixture<LettaDevHost>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task MemoryToolOfOneAgent_OnSharedBlock_IsWhatTheOtherAgentAnswersFrom()
    {
        var block = await _client.SendJsonAsync(HttpMethod.Post, "/v1/blocks/", new JsonObject { ["label"] = "project_context", ["value"] = "Project: Apollo" });
        var blockId = block.Str("id");
        var first = (await CreateWithBlockAsync(blockId)).Str("id");
        var second = (await CreateWithBlockAsync(blockId)).Str("id");

        var edit = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{first}/messages", Http.UserMessage("remember in project_context: We deploy on Fridays"));
        var answer = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{second}/messages", Http.UserMessage("what is in your project_context block?"));

        var call = edit["messages"]!.AsArray().Single(m => m.Type() == "tool_call_message")!["tool_call"]!;
        Assert.Equal("memory_insert", call.Str("name"));
        Assert.Equal("project_context", JsonNode.Parse(call.Str("arguments"))!.Str("label"));
        Assert.Equal("My project_context block says: Project: Apollo\nWe deploy on Fridays",
            answer["messages"]!.AsArray().Last(m => m.Type() == "assistant_message")!.Str("content"));
        Assert.Equal("Project: Apollo\nWe deploy on Fridays", (await _client.SendJsonAsync(HttpMethod.Get, $"/v1/blocks/{blockId}")).Str("value"));
    }

    [Fact]
    public async Task PatchOfTheBlockById_IsSeenThroughEveryAgent_AndTheBlockListsItsAgents()
    {
        var block = await _client.SendJsonAsync(HttpMethod.Post, "/v1/blocks/", new JsonObject { ["label"] = "project_context", ["value"] = "v1" });
        var blockId = block.Str("id");
        var first = (await CreateWithBlockAsync(blockId)).Str("id");
        var second = (await _client.CreateAgentAsync()).Str("id");
        await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{second}/core-memory/blocks/attach/{blockId}");

        await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/blocks/{blockId}", new JsonObject { ["value"] = "v2" });
        var throughFirst = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{first}/core-memory/blocks/project_context");
        var throughSecond = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{second}/core-memory/blocks/project_context");
        var holders = await _client.GetArrayAsync($"/v1/blocks/{blockId}/agents");
        await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{first}/core-memory/blocks/detach/{blockId}");
        var afterDetach = await _client.GetArrayAsync($"/v1/blocks/{blockId}/agents");

        Assert.Equal(("v2", blockId), (throughFirst.Str("value"), throughFirst.Str("id")));
        Assert.Equal(("v2", blockId), (throughSecond.Str("value"), throughSecond.Str("id")));
        Assert.Equal(new[] { first, second }.Order(), holders.Select(a => a.Str("id")).Order());
        Assert.Equal([second], afterDetach.Select(a => a.Str("id")));
    }

    [Fact]
    public async Task AgentWithOwnBlockOfTheSameLabel_CannotAttachTheSharedOne()
    {
        var block = await _client.SendJsonAsync(HttpMethod.Post, "/v1/blocks/", new JsonObject { ["label"] = "human", ["value"] = "shared" });
        var agent = (await _client.CreateAgentAsync()).Str("id");

        var refused = await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{agent}/core-memory/blocks/attach/{block.Str("id")}", expected: HttpStatusCode.BadRequest);

        Assert.Contains("human", refused.Str("detail"));
    }

    [Fact]
    public async Task Recall_OfABlockTheAgentDoesNotHave_SaysSo()
    {
        var agent = (await _client.CreateAgentAsync()).Str("id");

        var answer = await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{agent}/messages", Http.UserMessage("what is in your project_context block?"));

        Assert.Equal("I have no project_context block.", answer["messages"]!.AsArray().Last(m => m.Type() == "assistant_message")!.Str("content"));
    }

    private Task<JsonObject> CreateWithBlockAsync(string blockId) =>
        _client.SendJsonAsync(HttpMethod.Post, "/v1/agents/", new JsonObject
        {
            ["name"] = "project-agent",
            ["memory_blocks"] = new JsonArray(new JsonObject { ["label"] = "persona", ["value"] = "I am a project agent." }),
            ["block_ids"] = new JsonArray(blockId),
        });
}
