namespace LettaPlatform.LettaDev.Tests;

public sealed class AgentsApiTests(LettaDevHost factory) : IClassFixture<LettaDevHost>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("/v1/health/")]
    [InlineData("/v1/health")]
    [InlineData("/v1/ready/")]
    public async Task Health_WithOrWithoutSlash_ReturnsVersionAndStatus(string path)
    {
        var health = await _client.SendJsonAsync(HttpMethod.Get, path);

        Assert.False(string.IsNullOrEmpty(health.Str("version")));
        Assert.False(string.IsNullOrEmpty(health.Str("status")));
    }

    [Fact]
    public async Task Create_WithBlocksAndBaseTools_ReturnsFullAgentState()
    {
        var agent = await _client.CreateAgentAsync("create-test", ["alpha"]);

        Assert.Matches("^agent-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", agent.Str("id"));
        Assert.Equal("letta_v1_agent", agent.Str("agent_type"));
        Assert.Equal(["persona", "human"], agent["blocks"]!.AsArray().Select(b => b.Str("label")));
        Assert.Contains("memory_insert", agent["tools"]!.AsArray().Select(t => t.Str("name")));
        Assert.Equal("alpha", agent["tags"]![0]!.GetValue<string>());
        Assert.NotNull(agent["llm_config"]);
        Assert.NotNull(agent["memory"]!["blocks"]);
        Assert.NotNull(agent["created_at"]);
    }

    [Fact]
    public async Task Get_WithoutTrailingSlashAndWithIt_FindsAgent()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var plain = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{id}");
        var slashed = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{id}/");

        Assert.Equal(id, plain.Str("id"));
        Assert.Equal(id, slashed.Str("id"));
        Assert.Equal(2, plain["blocks"]!.AsArray().Count);
    }

    [Fact]
    public async Task Modify_SparseBody_ChangesOnlyGivenFields()
    {
        var agent = await _client.CreateAgentAsync("before", ["t1"]);
        var id = agent.Str("id");

        var modified = await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{id}",
            new JsonObject { ["description"] = "changed", ["metadata"] = new JsonObject { ["k"] = "v" } });

        Assert.Equal("before", modified.Str("name"));
        Assert.Equal("changed", modified.Str("description"));
        Assert.Equal("v", modified["metadata"]!.Str("k"));
        Assert.Equal(agent.Str("system"), modified.Str("system"));
    }

    [Fact]
    public async Task Delete_ThenGet_Returns404WithLettaBody()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var deleted = await _client.SendJsonAsync(HttpMethod.Delete, $"/v1/agents/{id}");
        var body = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{id}", expected: HttpStatusCode.NotFound);

        Assert.Contains(id, deleted.Str("message"));
        Assert.Equal("Agent not found", body.Str("detail"));
    }

    [Fact]
    public async Task Get_MalformedId_Returns422()
    {
        var body = await _client.SendJsonAsync(HttpMethod.Get, "/v1/agents/not-an-id", expected: HttpStatusCode.UnprocessableEntity);

        Assert.NotNull(body["detail"]);
    }

    [Fact]
    public async Task List_ByTags_MatchAnyOrAll()
    {
        var tag = Guid.NewGuid().ToString("N");
        var both = (await _client.CreateAgentAsync("both", [tag, tag + "-b"])).Str("id");
        var one = (await _client.CreateAgentAsync("one", [tag])).Str("id");

        var any = await _client.GetArrayAsync($"/v1/agents/?tags={tag}&tags={tag}-b");
        var all = await _client.GetArrayAsync($"/v1/agents/?tags={tag}&tags={tag}-b&match_all_tags=true");
        var count = await _client.SendForNodeAsync(HttpMethod.Get, $"/v1/agents/count?tags={tag}");

        Assert.Equal([one, both], any.Select(a => a.Str("id")));
        Assert.Equal([both], all.Select(a => a.Str("id")));
        Assert.Equal(2, count!.GetValue<int>());
    }

    [Fact]
    public async Task List_WithoutInclude_LeavesRelationsEmpty_AndIncludeFillsThem()
    {
        var name = "rel-" + Guid.NewGuid().ToString("N");
        await _client.CreateAgentAsync(name, ["t"]);

        var bare = (await _client.GetArrayAsync($"/v1/agents?name={name}")).Single()!;
        var full = (await _client.GetArrayAsync($"/v1/agents?name={name}&include=agent.blocks&include=agent.tags")).Single()!;

        Assert.Empty(bare["blocks"]!.AsArray());
        Assert.Empty(bare["tags"]!.AsArray());
        Assert.Equal(2, full["blocks"]!.AsArray().Count);
        Assert.Single(full["tags"]!.AsArray());
    }

    [Fact]
    public async Task List_CursorsFollowOrder_AfterMovesForwardInRequestedOrder()
    {
        var tag = Guid.NewGuid().ToString("N");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await _client.CreateAgentAsync($"page{i}", [tag])).Str("id"));
        }

        var firstDesc = await _client.GetArrayAsync($"/v1/agents/?tags={tag}&limit=2");
        var nextDesc = await _client.GetArrayAsync($"/v1/agents/?tags={tag}&limit=2&after={firstDesc[1].Str("id")}");
        var firstAsc = await _client.GetArrayAsync($"/v1/agents/?tags={tag}&limit=2&order=asc");
        var beforeAsc = await _client.GetArrayAsync($"/v1/agents/?tags={tag}&order=asc&before={ids[2]}");

        Assert.Equal([ids[2], ids[1]], firstDesc.Select(a => a.Str("id")));
        Assert.Equal([ids[0]], nextDesc.Select(a => a.Str("id")));
        Assert.Equal([ids[0], ids[1]], firstAsc.Select(a => a.Str("id")));
        Assert.Equal([ids[0], ids[1]], beforeAsc.Select(a => a.Str("id")));
    }

    [Fact]
    public async Task ToolApproval_Patch_AddsRequiresApprovalRule()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var agent = await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{id}/tools/approval/memory_insert",
            new JsonObject { ["requires_approval"] = true });

        var rule = agent["tool_rules"]!.AsArray().Single()!;
        Assert.Equal("requires_approval", rule.Str("type"));
        Assert.Equal("memory_insert", rule.Str("tool_name"));
    }

    [Fact]
    public async Task Tools_CreateFromJsonSchema_ThenAttachAndDetach()
    {
        var name = "lookup_" + Guid.NewGuid().ToString("N")[..8];
        var tool = await _client.SendJsonAsync(HttpMethod.Post, "/v1/tools/", new JsonObject
        {
            ["source_code"] = $"def {name}(q: str) -> str:\n    return q",
            ["json_schema"] = new JsonObject { ["name"] = name, ["description"] = "Look up", ["parameters"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() } },
        });
        var agentId = (await _client.CreateAgentAsync()).Str("id");

        var listed = await _client.GetArrayAsync($"/v1/tools/?name={name}");
        await _client.SendForNodeAsync(HttpMethod.Patch, $"/v1/agents/{agentId}/tools/attach/{tool.Str("id")}");
        var attached = await _client.GetArrayAsync($"/v1/agents/{agentId}/tools?limit=50");
        await _client.SendForNodeAsync(HttpMethod.Patch, $"/v1/agents/{agentId}/tools/detach/{tool.Str("id")}");
        var detached = await _client.GetArrayAsync($"/v1/agents/{agentId}/tools?limit=50");

        Assert.Equal(tool.Str("id"), listed.Single()!.Str("id"));
        Assert.Contains(name, attached.Select(t => t.Str("name")));
        Assert.DoesNotContain(name, detached.Select(t => t.Str("name")));
    }
}
