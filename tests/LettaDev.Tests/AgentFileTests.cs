using System.Net.Http.Headers;
using System.Text;

namespace LettaPlatform.LettaDev.Tests;

public sealed class AgentFileTests(LettaDevHost factory) : IClassFixture<LettaDevHost>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<JsonArray> ImportAsync(string fileText, bool stripMessages = false)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(fileText));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(file, "file", "agent.af");
        form.Add(new StringContent(stripMessages ? "true" : "false"), "strip_messages");
        using var response = await _client.PostAsync("/v1/agents/import", form, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!["agent_ids"]!.AsArray();
    }

    [Fact]
    public async Task Export_ReturnsAgentFileAsJsonString()
    {
        var id = (await _client.CreateAgentAsync("exported", ["x"])).Str("id");

        var exported = (await _client.SendForNodeAsync(HttpMethod.Get, $"/v1/agents/{id}/export"))!.GetValue<string>();
        var file = JsonNode.Parse(exported)!;

        foreach (var key in new[] { "agents", "blocks", "tools", "groups", "files", "sources", "mcp_servers", "skills", "metadata" })
        {
            Assert.NotNull(file[key]);
        }
        Assert.Equal("agent-0", file["agents"]![0]!.Str("id"));
        Assert.Equal(2, file["blocks"]!.AsArray().Count);
        Assert.All(file["blocks"]!.AsArray(), b => Assert.False(b!.AsObject().ContainsKey("created_by_id")));
    }

    [Fact]
    public async Task ExportThenImport_RoundTripsBlocksToolsSystemTagsMetadataAndMessages()
    {
        var id = (await _client.CreateAgentAsync("original", ["round"])).Str("id");
        await _client.SendJsonAsync(HttpMethod.Patch, $"/v1/agents/{id}", new JsonObject { ["system"] = "custom system", ["metadata"] = new JsonObject { ["user"] = "u1" } });
        await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("remember round trips matter"));
        var original = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{id}");
        var originalHistory = await _client.GetArrayAsync($"/v1/agents/{id}/messages?order=asc");
        var exported = (await _client.SendForNodeAsync(HttpMethod.Get, $"/v1/agents/{id}/export"))!.GetValue<string>();

        var importedId = (await ImportAsync(exported)).Single()!.GetValue<string>();
        var imported = await _client.SendJsonAsync(HttpMethod.Get, $"/v1/agents/{importedId}");
        var importedHistory = await _client.GetArrayAsync($"/v1/agents/{importedId}/messages?order=asc");

        Assert.NotEqual(id, importedId);
        Assert.Equal("original_copy", imported.Str("name"));
        Assert.Equal("custom system", imported.Str("system"));
        Assert.Equal("u1", imported["metadata"]!.Str("user"));
        Assert.Equal(["round"], imported["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(original["blocks"]!.AsArray().Select(b => (b.Str("label"), b.Str("value"))), imported["blocks"]!.AsArray().Select(b => (b.Str("label"), b.Str("value"))));
        Assert.Equal(original["tools"]!.AsArray().Select(t => t.Str("name")).Order(), imported["tools"]!.AsArray().Select(t => t.Str("name")).Order());
        Assert.Equal(originalHistory.Select(m => m.Type()), importedHistory.Select(m => m.Type()));
        Assert.Equal(originalHistory[0]!.Str("content"), importedHistory[0]!.Str("content"));
    }

    [Fact]
    public async Task Import_StripMessages_DropsHistory()
    {
        var id = (await _client.CreateAgentAsync()).Str("id");
        await _client.SendJsonAsync(HttpMethod.Post, $"/v1/agents/{id}/messages", Http.UserMessage("hi"));
        var exported = (await _client.SendForNodeAsync(HttpMethod.Get, $"/v1/agents/{id}/export"))!.GetValue<string>();

        var importedId = (await ImportAsync(exported, stripMessages: true)).Single()!.GetValue<string>();

        Assert.Empty(await _client.GetArrayAsync($"/v1/agents/{importedId}/messages"));
    }
}
