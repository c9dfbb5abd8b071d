using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>
/// Through the gateway: a person makes a project and two agents for it. What one agent writes to the project's shared
/// <c>project_context</c> in a turn, the other reads in its next turn; the block's history names the agent, a rollback
/// reaches both agents, and another person can neither see the project nor its block.
/// </summary>
public class ProjectMemoryEndToEndTests(EndToEndPlatform platform)
{
    private const string Fact = "We release with blue-green deployments.";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SharedProjectContext_WrittenByOneAgent_IsReadByTheOther_VersionedOnce_RolledBackForBoth_AndPrivate()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        var project = await PostAsync(client, "/api/projects", new { name = "Apollo", repository = "octo/apollo" }, HttpStatusCode.Created);
        var projectId = project["id"]!.GetValue<string>();
        var coder = await PostAsync(client, "/api/agents", new { templateId = "code-assistant", projectId }, HttpStatusCode.Created);
        var writer = await PostAsync(client, "/api/agents", new { templateId = "documentation", projectId }, HttpStatusCode.Created);
        var coderId = coder["id"]!.GetValue<string>();
        var writerId = writer["id"]!.GetValue<string>();
        var coderSession = (await PostAsync(client, "/api/chat/sessions", new { agentId = coderId }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var writerSession = (await PostAsync(client, "/api/chat/sessions", new { agentId = writerId }, HttpStatusCode.Created))["id"]!.GetValue<string>();

        var details = (await client.GetFromJsonAsync<JsonObject>($"/api/projects/{projectId}", Token))!;
        Assert.Equal(
            new[] { (coderId, true), (writerId, true) }.Order(),
            details["agents"]!.AsArray().Select(a => (a!["id"]!.GetValue<string>(), a["sharesProjectContext"]!.GetValue<bool>())).Order());

        // The coder writes to the project's memory in a turn; the writer's next turn reads it.
        var wrote = await SendAsync(client, coderSession, $"remember in project_context: {Fact}");
        Assert.Contains("Got it, I will remember that.", wrote);
        var read = await SendAsync(client, writerSession, "what is in your project_context block?");
        Assert.Equal($"My project_context block says: Project: Apollo\nRepository: octo/apollo\n{Fact}", read);

        // memory-sync records the coder's edit once, naming the coder, on the project and on both agents' routes.
        var block = $"/api/memory/projects/{projectId}/blocks/project_context";
        var history = await WaitForHistoryAsync(client, $"{block}/history", 2);
        Assert.Equal(("agent", coderId), (history[0]!["author"]!.GetValue<string>(), history[0]!["agentId"]!.GetValue<string>()));
        Assert.Equal(history.ToJsonString(), (await client.GetFromJsonAsync<JsonArray>($"/api/memory/agents/{writerId}/blocks/project_context/history", Token))!.ToJsonString());

        // The person rolls the shared block back through the writer's memory route: both agents read the old value.
        using (var rollback = await client.PostAsJsonAsync($"/api/memory/agents/{writerId}/blocks/project_context/rollback", new { version = 1 }, Token))
        {
            Assert.True(rollback.StatusCode == HttpStatusCode.OK, await rollback.Content.ReadAsStringAsync(Token));
        }

        Assert.Equal("My project_context block says: Project: Apollo\nRepository: octo/apollo", await SendAsync(client, coderSession, "what is in your project_context block?"));
        Assert.Equal("My project_context block says: Project: Apollo\nRepository: octo/apollo", await SendAsync(client, writerSession, "what is in your project_context block?"));
        var afterRollback = await WaitForHistoryAsync(client, $"{block}/history", 3);
        Assert.Equal(("user", "rollback:1", writerId), (afterRollback[0]!["author"]!.GetValue<string>(), afterRollback[0]!["reason"]!.GetValue<string>(), afterRollback[0]!["agentId"]!.GetValue<string>()));

        // Another person sees none of it.
        using var stranger = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        await AssertNotFoundAsync(stranger.GetAsync($"/api/projects/{projectId}", Token), "project_not_found");
        await AssertNotFoundAsync(stranger.GetAsync(block, Token), "project_not_found");
        await AssertNotFoundAsync(stranger.PostAsJsonAsync($"{block}/rollback", new { version = 2 }, Token), "project_not_found");
        await AssertNotFoundAsync(stranger.GetAsync($"/api/memory/agents/{coderId}/blocks/project_context", Token), "agent_not_found");
        Assert.Empty((await stranger.GetFromJsonAsync<JsonObject>("/api/projects", Token))!["items"]!.AsArray());
    }

    private static async Task<JsonObject> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == expected, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task AssertNotFoundAsync(Task<HttpResponseMessage> request, string code)
    {
        using var response = await request;
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        Assert.Equal(code, JsonNode.Parse(text)!["code"]!.GetValue<string>());
        Assert.DoesNotContain("blue-green", text);
    }

    private static async Task<JsonArray> WaitForHistoryAsync(HttpClient client, string path, int versions)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync(path, Token);
            if (response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(await response.Content.ReadAsStringAsync(Token)) is JsonArray history && history.Count >= versions)
            {
                return history;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"{path} did not reach {versions} versions: {(int)response.StatusCode}");
            await Task.Delay(200, Token);
        }
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
