using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.Testing;

/// <summary>
/// Makes test agents on a running platform: each <see cref="CreateAgentAsync"/> signs in a new person, gives
/// them an agent of the template and a chat session. <see cref="RollOutAsync"/> moves a template to a version
/// through the platform's rollout (canary, then promote), as an operator would.
/// </summary>
public sealed class AgentTestKit(PlatformConnection platform)
{
    private static readonly TimeSpan RolloutTimeout = TimeSpan.FromSeconds(60);

    public PlatformConnection Platform { get; } = platform;

    /// <summary>
    /// A new agent of <paramref name="templateId"/> (at the template's active version) for a new person
    /// (<paramref name="userId"/>, or a fresh <c>kit-…</c> id), with a chat session. Dispose it to delete both.
    /// With <paramref name="projectId"/> (one of the person's projects, <c>POST /api/projects</c>) the agent is the
    /// person's agent of that project: it shares the project's <c>project_context</c> block with their other agents there.
    /// </summary>
    public async Task<TestAgent> CreateAgentAsync(string templateId, string? userId = null, string? projectId = null, CancellationToken cancellationToken = default)
    {
        userId ??= $"kit-{Guid.NewGuid():N}"[..24];
        var user = await Platform.CreateUserClientAsync(userId, cancellationToken: cancellationToken);
        try
        {
            object request = projectId is null ? new { templateId } : new { templateId, projectId };
            var session = await ExpectAsync(await user.PostAsJsonAsync("/api/chat/sessions", request, cancellationToken),
                $"create a chat session with an agent of '{templateId}'", cancellationToken);
            var agent = await ExpectAsync(await user.GetAsync($"/api/agents/{session["agentId"]}", cancellationToken), "read the new agent", cancellationToken);
            return new TestAgent(Platform, user, userId, agent, session["id"]!.GetValue<string>());
        }
        catch
        {
            user.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes <paramref name="version"/> the active version of <paramref name="templateId"/> and moves its agents
    /// to it: starts a rollout to every agent (canary 100 %), promotes it and waits until it completes. Does
    /// nothing when the version is already active.
    /// </summary>
    public async Task RollOutAsync(string templateId, int version, CancellationToken cancellationToken = default)
    {
        using var admin = await Platform.CreateUserClientAsync($"kit-operator-{Guid.NewGuid():N}"[..24], ["admin"], cancellationToken);
        var templates = await ExpectArrayAsync(await admin.GetAsync("/api/templates", cancellationToken), cancellationToken);
        if (templates.Any(t => t!["id"]!.GetValue<string>() == templateId && t["version"]!.GetValue<int>() == version))
        {
            return;
        }

        var rollout = await ExpectAsync(await admin.PostAsJsonAsync($"/api/templates/{templateId}/rollouts", new { version, canaryPercent = 100 }, cancellationToken),
            $"start the rollout of {templateId} v{version}", cancellationToken);
        var path = $"/api/templates/{templateId}/rollouts/{rollout["id"]}";
        await WaitForAsync(admin, path, "canary", cancellationToken, r => r["progress"]!["pending"]!.GetValue<int>() == 0);
        await ExpectAsync(await admin.PostAsync($"{path}/promote", null, cancellationToken), $"promote the rollout of {templateId} v{version}", cancellationToken);
        await WaitForAsync(admin, path, "completed", cancellationToken);
    }

    private static async Task WaitForAsync(HttpClient admin, string path, string status, CancellationToken cancellationToken, Func<JsonObject, bool>? also = null)
    {
        var deadline = DateTime.UtcNow + RolloutTimeout;
        while (true)
        {
            var rollout = await ExpectAsync(await admin.GetAsync(path, cancellationToken), "read the rollout", cancellationToken);
            if (rollout["status"]!.GetValue<string>() == status && (also is null || also(rollout)))
            {
                return;
            }

            if (DateTime.UtcNow > deadline || rollout["status"]!.GetValue<string>() is "rolled_back" or "failed")
            {
                throw new AgentAssertionException($"Expected the rollout to reach '{status}' within {RolloutTimeout.TotalSeconds} s, but it is: {rollout.ToJsonString()}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static async Task<JsonObject> ExpectAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode
                ? JsonNode.Parse(body)!.AsObject()
                : throw new AgentAssertionException($"Expected to {what}, but the platform answered {(int)response.StatusCode}: {body}");
        }
    }

    private static async Task<JsonArray> ExpectArrayAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode
                ? JsonNode.Parse(body)!.AsArray()
                : throw new AgentAssertionException($"Expected to list the templates, but the platform answered {(int)response.StatusCode}: {body}");
        }
    }
}
