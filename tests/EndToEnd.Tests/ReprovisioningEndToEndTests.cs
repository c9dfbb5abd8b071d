using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using LettaPlatform.TestInfrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>
/// A person edits their agent's persona, LettaDev is restarted (it forgets every agent), and the person writes
/// again: the agent re-created for that message already has the person's persona, memory health and reconcile
/// say the agent was missing rather than that Letta was down, and the re-creation adds nothing to the memory
/// history. Restarting LettaDev disturbs every agent, so this runs with the other Letta outage tests.
/// </summary>
[Collection(nameof(LettaOutageCollection))]
public class ReprovisioningEndToEndTests(EndToEndPlatform platform)
{
    private const string EditedPersona = "I am Ada, the persona this person wrote for their code assistant.";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendMessage_AfterLettaLostTheAgent_FirstReplyUsesTheEditedPersonaAndHistoryGainsNothing()
    {
        using var client = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        var session = await CreateSessionAsync(client);
        var sessionId = session["id"]!.GetValue<string>();
        var agentId = session["agentId"]!.GetValue<string>();
        var memory = $"/api/memory/agents/{agentId}";
        var before = await SendAsync(client, sessionId, "hello before the restart");
        Assert.DoesNotContain(EditedPersona, before, StringComparison.Ordinal);
        await EditPersonaAsync(client, memory);
        var lettaAgentBefore = (await client.GetFromJsonAsync<JsonObject>($"/api/agents/{agentId}", Token))!["lettaAgentId"]!.GetValue<string>();

        // An operator restarts LettaDev from the dashboard: it comes back empty.
        Assert.True((await platform.ExecuteCommandAsync("letta-dev", KnownResourceCommands.StopCommand, Token)).Success);
        await WaitForLettaAsync(healthy: false);
        Assert.True((await platform.ExecuteCommandAsync("letta-dev", KnownResourceCommands.StartCommand, Token)).Success);
        await WaitForLettaAsync(healthy: true);

        var health = (await client.GetFromJsonAsync<JsonObject>($"{memory}/health", Token))!;
        Assert.Equal((true, "agent_missing"), (health["lettaReachable"]!.GetValue<bool>(), health["letta"]!.GetValue<string>()));
        Assert.All(health["blocks"]!.AsArray(), block => Assert.Equal("agent_missing", block!["drift"]!.GetValue<string>()));

        var reconcile = await ReconcileFromTheDashboardAsync();
        Assert.True(reconcile.Success, reconcile.Message);
        Assert.Contains(" failed", reconcile.Message, StringComparison.Ordinal);
        var failures = reconcile.Data?.Value ?? "";
        Assert.Contains($"| {agentId} |", failures, StringComparison.Ordinal);
        Assert.Contains("agent_missing", failures, StringComparison.Ordinal);

        var reply = await SendAsync(client, sessionId, "who are you now?");

        Assert.Contains($"My persona: {EditedPersona}", reply, StringComparison.Ordinal);
        var lettaAgentAfter = (await client.GetFromJsonAsync<JsonObject>($"/api/agents/{agentId}", Token))!["lettaAgentId"]!.GetValue<string>();
        Assert.NotEqual(lettaAgentBefore, lettaAgentAfter);

        // Once memory-sync has followed the agent to its new Letta id, Letta holds exactly the recorded memory.
        await WaitUntilAsync(async () =>
        {
            var now = (await client.GetFromJsonAsync<JsonObject>($"{memory}/health", Token))!;
            return now["letta"]!.GetValue<string>() == "ok" && now["blocks"]!.AsArray().All(b => b!["drift"]!.GetValue<string>() == "none");
        }, "memory-sync did not follow the agent to its new Letta agent");
        Assert.Contains(EditedPersona, await SendAsync(client, sessionId, "and again?"), StringComparison.Ordinal);
        using (var admin = platform.CreateAdminClient())
        using (var reconciled = await admin.PostAsync("/api/memory/reconcile", null, Token))
        {
            var report = (await reconciled.Content.ReadFromJsonAsync<JsonObject>(Token))!;
            Assert.DoesNotContain(report["driftedAgentIds"]!.AsArray(), id => id!.GetValue<string>() == agentId);
            Assert.DoesNotContain(report["failures"]!.AsArray(), failure => failure!["agentId"]!.GetValue<string>() == agentId);
        }

        var blocks = (await client.GetFromJsonAsync<JsonArray>($"{memory}/blocks", Token))!;
        foreach (var label in blocks.Select(b => b!["label"]!.GetValue<string>()))
        {
            var history = (await client.GetFromJsonAsync<JsonArray>($"{memory}/blocks/{label}/history", Token))!;
            Assert.DoesNotContain(history, version => version!["author"]!.GetValue<string>() == "agent");
            if (label == "persona")
            {
                Assert.Equal([(2, "user"), (1, "system")], history.Select(v => (v!["version"]!.GetValue<int>(), v["author"]!.GetValue<string>())));
            }
            else
            {
                Assert.Single(history);
            }
        }
    }

    /// <summary>
    /// A session with a new agent. The first use of a template provisions the agent, which on a loaded machine may
    /// outlast chat's wait for agent-management; the 503 says to try again shortly, and so the test does, as a client would.
    /// </summary>
    private static async Task<JsonObject> CreateSessionAsync(HttpClient client)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var created = await client.PostAsJsonAsync("/api/chat/sessions", new { templateId = "code-assistant" }, Token);
            var body = await created.Content.ReadAsStringAsync(Token);
            if (created.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 3)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"creating the session, attempt {attempt}: {body}");
                await Task.Delay(created.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5), Token);
                continue;
            }

            Assert.True(created.StatusCode == HttpStatusCode.Created, $"creating the session answered {(int)created.StatusCode}: {body}");
            return JsonNode.Parse(body)!.AsObject();
        }
    }

    private static async Task EditPersonaAsync(HttpClient client, string memory)
    {
        var persona = (await client.GetFromJsonAsync<JsonObject>($"{memory}/blocks/persona", Token))!;
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{memory}/blocks/persona") { Content = JsonContent.Create(new { value = EditedPersona }) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{persona["version"]!.GetValue<int>()}\"");
        using var edited = await client.SendAsync(request, Token);
        var body = await edited.Content.ReadAsStringAsync(Token);
        Assert.True(edited.StatusCode == HttpStatusCode.OK, $"editing the persona answered {(int)edited.StatusCode}: {body}");
        Assert.Equal("synced", JsonNode.Parse(body)!["syncState"]!.GetValue<string>());
    }

    /// <summary>The assistant's text of one non-streamed turn, which must complete.</summary>
    private static async Task<string> SendAsync(HttpClient client, string sessionId, string content)
    {
        using var response = await client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content }, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"'{content}' answered {(int)response.StatusCode}: {body}");
        var turn = JsonNode.Parse(body)!;
        Assert.Equal("completed", turn["status"]!.GetValue<string>());
        return string.Concat(turn["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "assistant").Select(e => e!["text"]!.GetValue<string>()));
    }

    /// <summary>The dashboard's "Reconcile memory" command, on one replica of memory-sync-api, as an operator clicks it.</summary>
    private async Task<ExecuteCommandResult> ReconcileFromTheDashboardAsync()
    {
        // The command is offered while the replica is healthy, which it reports again shortly after Letta is back.
        await WaitUntilAsync(() => Task.FromResult(platform.Replicas("memory-sync-api")[0].Snapshot.HealthStatus == HealthStatus.Healthy),
            "memory-sync-api was not healthy again after LettaDev's restart");
        return await platform.App.ResourceCommands.ExecuteCommandAsync(platform.Replicas("memory-sync-api")[0].ResourceId, "reconcile-memory", Token);
    }

    private async Task WaitForLettaAsync(bool healthy)
    {
        using var probe = new HttpClient { BaseAddress = platform.ServiceUrl("letta"), Timeout = TimeSpan.FromSeconds(2) };
        await WaitUntilAsync(async () =>
        {
            try
            {
                using var response = await probe.GetAsync("/v1/health/", Token);
                return (response.StatusCode == HttpStatusCode.OK) == healthy;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !Token.IsCancellationRequested)
            {
                return !healthy;
            }
        }, healthy ? "LettaDev was not healthy again within a minute of its start" : "LettaDev still answered a minute after it was stopped");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200, Token);
        }

        Assert.Fail($"{failure}.");
    }
}
