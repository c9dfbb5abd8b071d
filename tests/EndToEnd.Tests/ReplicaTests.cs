using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>
/// Two replicas of every service (<see cref="EndToEndPlatform"/>): a turn streamed by one chat-api replica is
/// resumed on the other, an approval asked by one is answered on the other, turns completed on both reach
/// memory-sync through both outbox relays exactly once, and a rollout started on one agent-management
/// replica is watched and promoted on the other while both run the rollout worker.
/// </summary>
public class ReplicaTests(EndToEndPlatform platform)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replicas_EveryService_RunsTwoHealthyInstances()
    {
        using var probe = new HttpClient();
        foreach (var service in EndToEndPlatform.Services)
        {
            var replicas = platform.ReplicaUrls(service);
            Assert.True(replicas.Count == 2, $"{service} has {replicas.Count} replicas: {platform.DescribeResources()}");
            Assert.NotEqual(replicas[0].Port, replicas[1].Port);
            foreach (var replica in replicas)
            {
                using var response = await probe.GetAsync(new Uri(replica, "/health"), Token);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{service} at {replica}: {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Stream_StartedOnOneChatReplica_IsResumedOnTheOther()
    {
        var (first, second, _) = await ChatReplicasAsync();
        var sessionId = await CreateSessionAsync(first, "code-assistant");
        var all = ChatStream.TurnEvents(await ChatStream.PostAsync(first, $"/api/chat/sessions/{sessionId}/messages/stream", new { content = "list my tasks" }, Token));
        var cut = all.Count / 2;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/chat/sessions/{sessionId}/stream");
        request.Headers.Add("Last-Event-ID", all[cut - 1].Id);
        using var response = await second.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        var rest = ChatStream.TurnEvents(ChatStream.Parse(await response.Content.ReadAsStringAsync(Token)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(all.Skip(cut).Select(e => e.Id), rest.Select(e => e.Id));
        Assert.Equal("completed", rest[^1].Str("status"));
    }

    [Fact]
    public async Task Approval_AskedByOneChatReplica_AnsweredOnTheOther_CreatesThePullRequest()
    {
        var (first, second, gateway) = await ChatReplicasAsync();
        var repository = $"octo/replica-{Guid.NewGuid():N}"[..22];
        var githubToken = $"ghp_{Guid.NewGuid():N}{Guid.NewGuid():N}"[..40];
        platform.GitHub.AddToken(githubToken, "mona");
        using (var connected = await gateway.PutAsJsonAsync("/api/integrations/github", new { token = githubToken, allowedRepositories = new[] { repository } }, Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, connected.StatusCode);
        }

        var sessionId = await CreateSessionAsync(first, "code-assistant");
        var asked = await ChatStream.PostAsync(first, $"/api/chat/sessions/{sessionId}/messages/stream",
            new { content = $"open a pull request in {repository} from feature to main: Replicas agree" }, Token);
        var approval = Assert.Single(asked, e => e.Type == "approval_required");

        using var answered = await second.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/approvals",
            new { toolCallId = approval.Str("toolCallId"), approve = true }, Token);
        var text = await answered.Content.ReadAsStringAsync(Token);

        Assert.True(answered.StatusCode == HttpStatusCode.OK, $"the approval answered {(int)answered.StatusCode}: {text}");
        Assert.Equal("completed", JsonNode.Parse(text)!["status"]!.GetValue<string>());
        var created = platform.GitHub.PullRequests.Where(pr => pr.Repository == repository).ToList();
        Assert.True(created.Count == 1, $"{created.Count} pull requests in {repository}; the turn answered: {text}");
        Assert.Equal("Replicas agree", created[0].Body["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task MemoryEdits_TurnsOnBothChatReplicas_EachRecordedOnceThroughBothOutboxRelays()
    {
        var (first, second, gateway) = await ChatReplicasAsync();
        var sessionId = await CreateSessionAsync(first, "task-manager");
        var agentId = (await gateway.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}", Token))!["agentId"]!.GetValue<string>();
        string[] facts = ["remember that I review on Mondays", "remember that I deploy on Thursdays", "remember that I prefer small pull requests", "remember that I write tests first"];
        for (var i = 0; i < facts.Length; i++)
        {
            var replica = i % 2 == 0 ? first : second;
            using var turn = await replica.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = facts[i] }, Token);
            Assert.Equal(HttpStatusCode.OK, turn.StatusCode);
        }

        // memory-sync records each agent edit after the turn's ChatTurnCompleted arrives; whichever relay and consumer replica ran it, once.
        JsonArray history = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            history = (await gateway.GetFromJsonAsync<JsonArray>($"/api/memory/agents/{agentId}/blocks/human/history?limit=200", Token))!;
            if (facts.All(fact => history.Any(version => Value(version).Contains(fact["remember that ".Length..], StringComparison.Ordinal))))
            {
                break;
            }

            await Task.Delay(200, Token);
        }

        var byAgent = history.Where(version => version!["author"]!.GetValue<string>() == "agent").ToList();
        foreach (var fact in facts.Select(fact => fact["remember that ".Length..]))
        {
            // Each fact appears first in exactly one agent version (later versions carry it along).
            Assert.Single(byAgent, version => Value(version).Contains(fact, StringComparison.Ordinal)
                && byAgent.Where(older => older!["version"]!.GetValue<int>() < version!["version"]!.GetValue<int>()).All(older => !Value(older).Contains(fact, StringComparison.Ordinal)));
        }

        Assert.Equal(byAgent.Count, byAgent.Select(version => version!["version"]!.GetValue<int>()).Distinct().Count());
    }

    [Fact]
    public async Task Rollout_StartedOnOneAgentManagementReplica_WatchedAndPromotedOnTheOther()
    {
        var replicas = platform.ReplicaUrls("agent-management-api");
        using var first = platform.CreateAdminClient(replicas[0]);
        using var second = platform.CreateAdminClient(replicas[1]);
        var mine = new List<(HttpClient Client, string AgentId)>();
        foreach (var user in Enumerable.Range(0, 3).Select(_ => $"e2e-rollout-{Guid.NewGuid():N}"))
        {
            var client = await platform.CreateUserClientAsync(user, Token);
            using var created = await client.PostAsJsonAsync("/api/agents", new { templateId = "documentation" }, Token);
            Assert.True(created.IsSuccessStatusCode, $"provision: {(int)created.StatusCode}");
            mine.Add((client, (await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!.GetValue<string>()));
        }

        var templates = (await first.GetFromJsonAsync<JsonArray>("/api/templates", Token))!;
        var active = templates.Single(t => t!["id"]!.GetValue<string>() == "documentation")!["version"]!.GetValue<int>();
        var current = (await first.GetFromJsonAsync<JsonObject>($"/api/templates/documentation/versions/{active}", Token))!;
        current["systemPrompt"] = $"{current["systemPrompt"]!.GetValue<string>()} (replica rollout {Guid.NewGuid():N})";
        using (var published = await first.PostAsJsonAsync("/api/templates/documentation/versions", current, Token))
        {
            Assert.True(published.StatusCode == HttpStatusCode.Created, $"publish: {(int)published.StatusCode} {await published.Content.ReadAsStringAsync(Token)}");
        }

        using var started = await first.PostAsJsonAsync("/api/templates/documentation/rollouts", new { version = active + 1, canaryPercent = 100 }, Token);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"start: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync(Token)}");
        var path = $"/api/templates/documentation/rollouts/{(await started.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!.GetValue<string>()}";

        var canary = await WaitForRolloutAsync(second, path, rollout => rollout["status"]!.GetValue<string>() == "canary" && Progress(rollout, "pending") == 0);
        Assert.Equal(0, Progress(canary, "failed"));
        using (var promoted = await second.PostAsync($"{path}/promote", null, Token))
        {
            Assert.Equal(HttpStatusCode.Accepted, promoted.StatusCode);
        }

        var completed = await WaitForRolloutAsync(first, path, rollout => rollout["status"]!.GetValue<string>() == "completed");
        Assert.Equal(0, Progress(completed, "failed"));

        // The rollout covers every documentation agent on the platform: one another test archives meanwhile is skipped,
        // never left out. This test's own agents are all on the new version.
        Assert.Equal(Progress(completed, "total"), Progress(completed, "applied") + Progress(completed, "skipped"));
        foreach (var (client, agentId) in mine)
        {
            var agent = (await client.GetFromJsonAsync<JsonObject>($"/api/agents/{agentId}", Token))!;
            Assert.Equal(active + 1, agent["templateVersion"]!.GetValue<int>());
            client.Dispose();
        }
    }

    private async Task<(HttpClient First, HttpClient Second, HttpClient Gateway)> ChatReplicasAsync()
    {
        var gateway = await platform.CreateUserClientAsync($"e2e-{Guid.NewGuid():N}", Token);
        var replicas = platform.ReplicaUrls("chat-api");
        HttpClient Direct(Uri replica)
        {
            var client = new HttpClient { BaseAddress = replica, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = gateway.DefaultRequestHeaders.Authorization;
            return client;
        }

        return (Direct(replicas[0]), Direct(replicas[1]), gateway);
    }

    private static async Task<string> CreateSessionAsync(HttpClient client, string template)
    {
        using var response = await client.PostAsJsonAsync("/api/chat/sessions", new { templateId = template }, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create session: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private static async Task<JsonObject> WaitForRolloutAsync(HttpClient client, string path, Func<JsonObject, bool> done)
    {
        JsonObject? rollout = null;
        for (var attempt = 0; attempt < 300; attempt++)
        {
            rollout = await client.GetFromJsonAsync<JsonObject>(path, Token);
            if (done(rollout!))
            {
                return rollout!;
            }

            await Task.Delay(200, Token);
        }

        Assert.Fail($"The rollout did not get there in a minute: {rollout?.ToJsonString()}");
        return null!;
    }

    private static int Progress(JsonObject rollout, string key) => rollout["progress"]![key]!.GetValue<int>();

    private static string Value(JsonNode? version) => version!["value"]!.GetValue<string>();
}
