using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>
/// A person's agent is archived (an operator does it on demand, as the worker does after a long time unused): it is
/// deleted from Letta and shows archived. The person writes again and the agent answers with their own persona: it
/// was restored for that message, and its memory (every block's value and history) is exactly what it was.
/// </summary>
public class ArchiveEndToEndTests(EndToEndPlatform platform)
{
    private const string EditedPersona = "I am Grace, the persona this person wrote before their agent was archived.";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendMessage_ToAnArchivedAgent_RestoresItTransparentlyWithIdenticalMemory()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        using var created = await client.PostAsJsonAsync("/api/chat/sessions", new { templateId = "documentation" }, Token);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Token));
        var session = (await created.Content.ReadFromJsonAsync<JsonObject>(Token))!;
        var sessionId = session["id"]!.GetValue<string>();
        var agentId = session["agentId"]!.GetValue<string>();
        var memory = $"/api/memory/agents/{agentId}";
        await SendAsync(client, sessionId, "hello before the archive");
        var persona = (await client.GetFromJsonAsync<JsonObject>($"{memory}/blocks/persona", Token))!;
        using (var edit = new HttpRequestMessage(HttpMethod.Put, $"{memory}/blocks/persona") { Content = JsonContent.Create(new { value = EditedPersona }) })
        {
            edit.Headers.TryAddWithoutValidation("If-Match", $"\"{persona["version"]!.GetValue<int>()}\"");
            using var edited = await client.SendAsync(edit, Token);
            Assert.True(edited.StatusCode == HttpStatusCode.OK, await edited.Content.ReadAsStringAsync(Token));
        }

        var memoryBefore = await MemoryAsync(client, memory);

        using var admin = platform.CreateAdminClient();
        using var archiving = await admin.PostAsync($"/api/agents/{agentId}/archive", null, Token);
        var archived = JsonNode.Parse(await archiving.Content.ReadAsStringAsync(Token))!;
        Assert.True(archiving.StatusCode == HttpStatusCode.OK, archived.ToJsonString());
        Assert.Equal("archived", archived["status"]!.GetValue<string>());
        Assert.True(archived["footprint"]!["agentFileBytes"]!.GetValue<long>() > 0);
        Assert.Equal("archived", (await client.GetFromJsonAsync<JsonObject>($"/api/agents/{agentId}", Token))!["status"]!.GetValue<string>());

        var reply = await SendAsync(client, sessionId, "who are you now?");

        Assert.Contains($"My persona: {EditedPersona}", reply, StringComparison.Ordinal);
        var restored = (await client.GetFromJsonAsync<JsonObject>($"/api/agents/{agentId}", Token))!;
        Assert.Equal("active", restored["status"]!.GetValue<string>());
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var health = (await client.GetFromJsonAsync<JsonObject>($"{memory}/health", Token))!;
            if (health["letta"]!.GetValue<string>() == "ok" && health["blocks"]!.AsArray().All(b => b!["drift"]!.GetValue<string>() == "none"))
            {
                break;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"memory-sync did not follow the restored agent: {health.ToJsonString()}");
            await Task.Delay(200, Token);
        }

        Assert.Equal(memoryBefore, await MemoryAsync(client, memory));
    }

    /// <summary>Every block's value and its whole history, as the memory API shows them.</summary>
    private static async Task<string> MemoryAsync(HttpClient client, string memory)
    {
        var blocks = (await client.GetFromJsonAsync<JsonArray>($"{memory}/blocks", Token))!;
        var all = new JsonObject();
        foreach (var block in blocks.OrderBy(b => b!["label"]!.GetValue<string>()))
        {
            var label = block!["label"]!.GetValue<string>();
            var history = (await client.GetFromJsonAsync<JsonArray>($"{memory}/blocks/{label}/history", Token))!;
            all[label] = new JsonObject
            {
                ["value"] = block["value"]!.GetValue<string>(),
                ["version"] = block["version"]!.GetValue<int>(),
                ["history"] = new JsonArray([.. history.Select(v => (JsonNode)new JsonObject
                {
                    ["version"] = v!["version"]!.GetValue<int>(),
                    ["author"] = v["author"]!.GetValue<string>(),
                    ["value"] = v["value"]!.GetValue<string>(),
                })]),
            };
        }

        return all.ToJsonString();
    }

    private static async Task<string> SendAsync(HttpClient client, string sessionId, string content)
    {
        using var response = await client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content }, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"'{content}' answered {(int)response.StatusCode}: {body}");
        var turn = JsonNode.Parse(body)!;
        Assert.Equal("completed", turn["status"]!.GetValue<string>());
        return string.Concat(turn["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "assistant").Select(e => e!["text"]!.GetValue<string>()));
    }
}
