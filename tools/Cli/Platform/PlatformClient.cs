using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LettaPlatform.Cli.Templates;

namespace LettaPlatform.Cli.Platform;

/// <summary>
/// The platform's public admin API, reached through the gateway with a bearer token. Every error answer
/// becomes a <see cref="PlatformException"/>; nothing is retried, so a publish is never sent twice.
/// </summary>
public sealed class PlatformClient(HttpClient http) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Uri BaseAddress => http.BaseAddress!;

    public static PlatformClient Create(Uri baseAddress, string token)
    {
        // A move exports and imports a whole agent; give it longer than HttpClient's default 100 s.
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("lettactl", typeof(PlatformClient).Assembly.GetName().Version?.ToString(3)));
        return new PlatformClient(http);
    }

    public Task<List<TemplateSummary>> ListTemplatesAsync(CancellationToken cancellationToken) =>
        SendAsync<List<TemplateSummary>>(HttpMethod.Get, "/api/templates", null, cancellationToken);

    public Task<TemplateVersion> GetTemplateVersionAsync(string templateId, int version, CancellationToken cancellationToken) =>
        SendAsync<TemplateVersion>(HttpMethod.Get, $"/api/templates/{Escape(templateId)}/versions/{version}", null, cancellationToken);

    /// <summary>Publishes the definition as the template's next version; no agent changes until a rollout.</summary>
    public Task<TemplateVersion> PublishTemplateVersionAsync(TemplateDefinition template, CancellationToken cancellationToken) =>
        SendAsync<TemplateVersion>(HttpMethod.Post, $"/api/templates/{Escape(template.Id)}/versions", new
        {
            template.Name,
            template.Description,
            template.SystemPrompt,
            Blocks = template.Blocks.Select(b => new { b.Label, b.Value, b.Limit, b.Description }),
            Tools = template.Tools.Select(t => new { t.Name, t.RequiresApproval }),
            template.Tags,
        }, cancellationToken);

    public Task<Rollout> StartRolloutAsync(string templateId, int version, int canaryPercent, CancellationToken cancellationToken) =>
        SendAsync<Rollout>(HttpMethod.Post, $"/api/templates/{Escape(templateId)}/rollouts", new { version, canaryPercent }, cancellationToken);

    public Task<Rollout> GetRolloutAsync(string templateId, Guid rolloutId, CancellationToken cancellationToken) =>
        SendAsync<Rollout>(HttpMethod.Get, RolloutPath(templateId, rolloutId), null, cancellationToken);

    public Task<Rollout> PromoteRolloutAsync(string templateId, Guid rolloutId, CancellationToken cancellationToken) =>
        SendAsync<Rollout>(HttpMethod.Post, $"{RolloutPath(templateId, rolloutId)}/promote", null, cancellationToken);

    public Task<Rollout> RollBackRolloutAsync(string templateId, Guid rolloutId, CancellationToken cancellationToken) =>
        SendAsync<Rollout>(HttpMethod.Post, $"{RolloutPath(templateId, rolloutId)}/rollback", null, cancellationToken);

    /// <summary>Moves an agent (its memory and history) to another Letta instance; the platform answers when it is done.</summary>
    public Task<Agent> MoveAgentAsync(Guid agentId, string targetInstance, CancellationToken cancellationToken) =>
        SendAsync<Agent>(HttpMethod.Post, $"/api/agents/{agentId}/move", new { targetInstance }, cancellationToken);

    public void Dispose() => http.Dispose();

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await PlatformException.FromResponseAsync(response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new InvalidDataException($"{method} {path} answered {(int)response.StatusCode} without a body.");
    }

    private static string RolloutPath(string templateId, Guid rolloutId) => $"/api/templates/{Escape(templateId)}/rollouts/{rolloutId}";

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
