using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.Testing;

/// <summary>
/// An agent made from a template for one test, with its own user and chat session. Disposing it deletes the
/// session and the agent (also in Letta). Every call goes through the gateway, as the web chat's do.
/// </summary>
public sealed class TestAgent : IAsyncDisposable
{
    private readonly PlatformConnection _platform;

    internal TestAgent(PlatformConnection platform, HttpClient user, string userId, JsonObject agent, string sessionId)
    {
        _platform = platform;
        User = user;
        UserId = userId;
        AgentId = agent["id"]!.GetValue<string>();
        LettaAgentId = agent["lettaAgentId"]!.GetValue<string>();
        TemplateId = agent["templateId"]!.GetValue<string>();
        TemplateVersion = agent["templateVersion"]!.GetValue<int>();
        SessionId = sessionId;
    }

    /// <summary>The agent's person: a client of the gateway signed in as <see cref="UserId"/>, for any other call a test needs.</summary>
    public HttpClient User { get; }

    public string UserId { get; }

    public string AgentId { get; }

    public string LettaAgentId { get; }

    public string TemplateId { get; }

    public int TemplateVersion { get; }

    public string SessionId { get; }

    /// <summary>Queues the dev model's next steps for this agent (replacing any queued before).</summary>
    public Task ScriptAsync(params ScriptStep[] steps) => _platform.ScriptAsync(LettaAgentId, steps);

    /// <summary>Sends <paramref name="message"/> as the person and returns the whole turn.</summary>
    public Task<AgentTurn> SendAsync(string message, CancellationToken cancellationToken = default) =>
        PostTurnAsync($"/api/chat/sessions/{SessionId}/messages", new { content = message }, cancellationToken);

    /// <summary>Approves the waiting call <paramref name="approval"/>; the turn resumes and is returned.</summary>
    public Task<AgentTurn> ApproveAsync(ApprovalRequest approval, CancellationToken cancellationToken = default) =>
        PostTurnAsync($"/api/chat/sessions/{SessionId}/approvals", new { toolCallId = approval.ToolCallId, approve = true }, cancellationToken);

    /// <summary>Denies the waiting call <paramref name="approval"/> with <paramref name="reason"/>; the turn resumes and is returned.</summary>
    public Task<AgentTurn> DenyAsync(ApprovalRequest approval, string? reason = null, CancellationToken cancellationToken = default) =>
        PostTurnAsync($"/api/chat/sessions/{SessionId}/approvals", new { toolCallId = approval.ToolCallId, approve = false, reason }, cancellationToken);

    /// <summary>The current value of one of the agent's memory blocks, as memory-sync keeps it.</summary>
    public async Task<string> MemoryAsync(string label, CancellationToken cancellationToken = default)
    {
        using var response = await User.GetAsync($"/api/memory/agents/{AgentId}/blocks/{label}", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body)!["value"]!.GetValue<string>()
            : throw new AgentAssertionException($"Expected the agent to have a memory block '{label}', but memory-sync answered {(int)response.StatusCode}: {body}");
    }

    public async ValueTask DisposeAsync()
    {
        // Best effort: a test that failed half-way still cleans up what exists.
        using (await User.DeleteAsync($"/api/chat/sessions/{SessionId}"))
        using (await User.DeleteAsync($"/api/agents/{AgentId}"))
        {
        }

        User.Dispose();
    }

    private async Task<AgentTurn> PostTurnAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await User.PostAsJsonAsync(path, body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new AgentAssertionException($"Expected the chat API to run the turn, but {path} answered {(int)response.StatusCode}: {text}");
        }

        var json = JsonNode.Parse(text)!.AsObject();
        var events = json["events"]!.AsArray().Select(e => new TurnEvent(e!["type"]!.GetValue<string>(), e.AsObject())).ToList();
        return new AgentTurn(json["status"]!.GetValue<string>(), events);
    }
}
