using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace LettaPlatform.TestInfrastructure;

/// <summary>
/// The OpenAPI documents committed in <c>docs/openapi/</c>. <c>dotnet build</c> writes them from the
/// services' endpoints (outside CI; see <c>Directory.Build.props</c>), so a change to a route that is
/// committed without its document is caught here: a service's tests hold the committed document to the
/// one the running service serves.
/// </summary>
public static class CommittedOpenApiDocument
{
    public const string ServedPath = "/openapi/v1.json";

    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "docs", "openapi");

    /// <summary>The document the service serves (anonymously, as the gateway's docs page reads it).</summary>
    public static async Task<JsonObject> FetchAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>(ServedPath, TestContext.Current.CancellationToken))!;

    /// <summary>
    /// Null when <c>docs/openapi/&lt;name&gt;.json</c> is <paramref name="served"/>; otherwise a sentence saying
    /// where they differ and how to refresh the file. <c>servers</c> is left out: it names whichever host answered.
    /// </summary>
    /// <param name="name">The document's file name: the service's resource name (<c>chat-api</c>).</param>
    /// <param name="project">The project that writes it, from the repository root (<c>services/Chat.Api</c>).</param>
    public static string? Staleness(string name, string project, JsonObject served)
    {
        var path = Path.Combine(Folder, $"{name}.json");
        var refresh = $"Refresh it with `dotnet build {project}` (outside CI the build writes the file) and commit it.";
        if (!File.Exists(path))
        {
            return $"docs/openapi/{name}.json is missing. {refresh}";
        }

        var committed = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        return FirstDifference(WithoutServers(committed), WithoutServers(served), "$") is { } difference
            ? $"docs/openapi/{name}.json is stale: at {difference} it differs from the document {name} serves. {refresh}"
            : null;
    }

    /// <summary>The operations of <paramref name="document"/> (<c>GET /api/…</c>) without a summary or a description.</summary>
    public static IReadOnlyList<string> UndescribedOperations(JsonObject document) => (
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        where IsBlank(operation.Value!["summary"]) || IsBlank(operation.Value!["description"])
        select $"{operation.Key.ToUpperInvariant()} {path.Key}").ToList();

    private static bool IsBlank(JsonNode? text) => string.IsNullOrWhiteSpace(text?.GetValue<string>());

    private static JsonObject WithoutServers(JsonObject document)
    {
        var copy = document.DeepClone().AsObject();
        copy.Remove("servers");
        return copy;
    }

    /// <summary>The JSON path of the first place where the two differ, or null when they are equal.</summary>
    private static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (JsonObject left, JsonObject right):
                foreach (var name in left.Select(p => p.Key).Union(right.Select(p => p.Key)))
                {
                    var here = name.All(char.IsAsciiLetterOrDigit) ? $"{path}.{name}" : $"{path}[\"{name}\"]";
                    if (!left.ContainsKey(name) || !right.ContainsKey(name))
                    {
                        return here;
                    }

                    if (FirstDifference(left[name], right[name], here) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case (JsonArray left, JsonArray right):
                for (var i = 0; i < Math.Max(left.Count, right.Count); i++)
                {
                    if (i >= left.Count || i >= right.Count)
                    {
                        return $"{path}[{i}]";
                    }

                    if (FirstDifference(left[i], right[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : path;
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LettaPlatform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No LettaPlatform.sln above {AppContext.BaseDirectory}.");
    }
}
