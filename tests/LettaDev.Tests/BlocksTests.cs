namespace LettaPlatform.LettaDev.Tests;

public sealed class BlocksTests(LettaDevHost factory) : IClassFixture<LettaDevHost>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task CoreMemory_GetAndPatchByLabel_ChangesValueOnly()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var patched = await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{id}/core-memory/blocks/human", new JsonObject { ["value"] = "Name: Grace" });
        var read = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{id}/core-memory/blocks/human");
        var all = await _client.GetArrayAsync($"/v1/agents/{id}/core-memory/blocks");

        Assert.Equal("Name: Grace", patched.Str("value"));
        Assert.Equal("Name: Grace", read.Str("value"));
        Assert.Equal(100000, read["limit"]!.GetValue<int>());
        Assert.Equal(2, all.Count);
    }

    [Fact]
    public async Task CoreMemory_UnknownLabel_Returns404()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");

        var body = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{id}/core-memory/blocks/nope", expected: HttpStatusCode.NotFound);

        Assert.Contains("nope", body.Str("detail"));
    }

    [Fact]
    public async Task Block_OverLimit_IsAcceptedBecauseLimitIsMetadata()
    {
        var block = await _client.SendJsonAsync(HttpMethod.Post, "/v1/blocks/",
            new JsonObject { ["label"] = "notes", ["value"] = new string('x', 50), ["limit"] = 10 });

        Assert.Equal(50, block.Str("value").Length);
        Assert.Equal(10, block["limit"]!.GetValue<int>());
    }

    [Fact]
    public async Task SharedBlock_AttachedToTwoAgents_EditIsSeenByBoth()
    {
        var block = await _client.SendJsonAsync(HttpMethod.Post, "/v1/blocks/", new JsonObject { ["label"] = "team", ["value"] = "v1" });
        var blockId = block.Str("id");
        var first = (await _client.CreateAgentAsync()).Str("id");
        var second = (await _client.CreateAgentAsync()).Str("id");

        await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{first}/core-memory/blocks/attach/{blockId}");
        await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{second}/core-memory/blocks/attach/{blockId}");
        await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{first}/core-memory/blocks/team", new JsonObject { ["value"] = "v2" });
        var seen = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{second}/core-memory/blocks/team");
        var agents = await _client.GetArrayAsync($"/v1/blocks/{blockId}/agents");
        var detached = await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{second}/core-memory/blocks/detach/{blockId}");

        Assert.Equal("v2", seen.Str("value"));
        Assert.Equal(2, agents.Count);
        Assert.DoesNotContain("team", detached["blocks"]!.AsArray().Select(b => b.Str("label")));
    }

    [Fact]
    public async Task Blocks_CrudAndLabelFilter()
    {
        var label = "l" + Guid.NewGuid().ToString("N")[..8];
        var created = await _client.SendJsonAsync(HttpMethod.Post, "/v1/blocks/", new JsonObject { ["label"] = label, ["value"] = "a", ["tags"] = new JsonArray("t") });
        var id = created.Str("id");

        var listed = await _client.GetArrayAsync($"/v1/blocks/?label={label}");
        var modified = await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/blocks/{id}", new JsonObject { ["description"] = "d" });
        await _client.SendForNodeAsync(HttpMethod.Delete, $"/v1/blocks/{id}");
        var gone = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/blocks/{id}", expected: HttpStatusCode.NotFound);

        Assert.Equal(id, listed.Single()!.Str("id"));
        Assert.Equal("a", modified.Str("value"));
        Assert.Equal("d", modified.Str("description"));
        Assert.Equal("Block not found", gone.Str("detail"));
    }

    [Fact]
    public async Task Block_CreateWithoutValue_Returns422()
    {
        await _client.SendJsonAsync(HttpMethod.Post, "/v1/blocks/", new JsonObject { ["label"] = "x" }, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task ParallelPatches_OnOneBlock_EndConsistent()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        var values = Enumerable.Range(0, 40).Select(i => $"value-{i}").ToList();

        var patches = values.Select(v => _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{id}/core-memory/blocks/human", new JsonObject { ["value"] = v }));
        var results = await Task.WhenAll(patches);
        var final = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{id}/core-memory/blocks/human");

        Assert.Equal(values.Order(), results.Select(r => r.Str("value")).Order());
        Assert.Contains(final.Str("value"), values);
        Assert.Equal(2, (await _client.GetArrayAsync($"/v1/agents/{id}/core-memory/blocks")).Count);
    }
}
