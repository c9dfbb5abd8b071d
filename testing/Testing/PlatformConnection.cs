using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace LettaPlatform.Testing;

/// <summary>
/// Where a running platform is: its gateway (the public API, with the Development dev-token route) and the
/// LettaDev behind it (for the dev model's scripting hook). <see cref="TestPlatform"/> makes one; a test suite
/// that starts the platform its own way builds one from the addresses.
/// </summary>
public sealed record PlatformConnection(Uri GatewayUrl, Uri LettaUrl, string? LettaKey = null)
{
    /// <summary>How long one request to the platform may take (a turn with tool calls included).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// A client of the gateway signed in as <paramref name="userId"/> with a token from the gateway's dev-token
    /// route (Development only); <paramref name="roles"/> <c>["admin"]</c> makes an operator.
    /// </summary>
    public async Task<HttpClient> CreateUserClientAsync(string userId, IReadOnlyList<string>? roles = null, CancellationToken cancellationToken = default)
    {
        var client = new HttpClient { BaseAddress = GatewayUrl, Timeout = RequestTimeout };
        using var response = await client.PostAsJsonAsync("/api/auth/dev-token", new { userId, roles }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            client.Dispose();
            throw new InvalidOperationException(
                $"The gateway did not issue a dev token for '{userId}' ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(cancellationToken)}. "
                + "The dev-token route exists only when the gateway runs in the Development environment.");
        }

        var token = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["accessToken"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client of LettaDev (its <c>/v1</c> API and <c>/_dev</c> hooks), with its key when it has one.</summary>
    public HttpClient CreateLettaClient()
    {
        var client = new HttpClient { BaseAddress = LettaUrl, Timeout = RequestTimeout };
        if (LettaKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LettaKey);
        }

        return client;
    }

    /// <summary>Replaces the queue of scripted model steps of a Letta agent (LettaDev's <c>PUT /_dev/agents/{id}/script</c>).</summary>
    public async Task ScriptAsync(string lettaAgentId, IEnumerable<ScriptStep> steps, CancellationToken cancellationToken = default)
    {
        using var letta = CreateLettaClient();
        var body = new JsonObject { ["steps"] = new JsonArray([.. steps.Select(step => (JsonNode)step.ToJson())]) };
        using var response = await letta.PutAsync($"/_dev/agents/{lettaAgentId}/script",
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"LettaDev refused the script for {lettaAgentId} ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(cancellationToken)}. "
                + "Scripting works only when the platform's Letta is LettaDev.");
        }
    }
}
