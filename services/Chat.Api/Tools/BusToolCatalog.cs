using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.Letta;
using MassTransit;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Chat.Api.Tools;

/// <summary>
/// The catalog as tool-execution, its owner, answers <c>GetToolCatalog</c>; cached for minutes because
/// it changes only with a deployment of tool-execution.
/// </summary>
public sealed partial class BusToolCatalog(
    IRequestClient<GetToolCatalog> client,
    HybridCache cache,
    IOptions<ChatOptions> options,
    ILogger<BusToolCatalog> logger) : IToolCatalog
{
    private const string CacheKey = "chat:tool-catalog";

    public async Task<IReadOnlyList<LettaClientTool>> GetClientToolsAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return [];
        }

        var catalog = await CatalogAsync(cancellationToken);
        var byName = catalog.Tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var tools = new List<LettaClientTool>(names.Count);
        foreach (var name in names)
        {
            if (byName.TryGetValue(name, out var entry))
            {
                tools.Add(new LettaClientTool { Name = entry.Name, Description = entry.Description, Parameters = JsonNode.Parse(entry.ParametersJson)?.AsObject() });
            }
            else
            {
                LogToolMissing(name);
            }
        }

        return tools;
    }

    public async Task<string?> GetPreviewKindAsync(string name, CancellationToken cancellationToken) =>
        (await CatalogAsync(cancellationToken)).Tools.FirstOrDefault(t => t.Name == name)?.Preview;

    private ValueTask<ToolCatalog> CatalogAsync(CancellationToken cancellationToken) => cache.GetOrCreateAsync(
        CacheKey,
        async ct => (await client.GetResponse<ToolCatalog>(new GetToolCatalog(), ct, RequestTimeout.After(ms: (int)options.Value.ToolCallTimeout.TotalMilliseconds))).Message,
        new HybridCacheEntryOptions { Expiration = options.Value.ToolCatalogCacheDuration, LocalCacheExpiration = options.Value.ToolCatalogCacheDuration },
        cancellationToken: cancellationToken);

    [LoggerMessage(LogLevel.Warning, "The template's tool {Tool} is not in tool-execution's catalog; it is not offered to Letta")]
    private partial void LogToolMissing(string tool);
}
