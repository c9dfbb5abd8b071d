using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LettaPlatform.Gateway.Tests;

/// <summary>The requests in <c>docs/http/</c> are routes the platform has: each is an operation of a committed OpenAPI document.</summary>
public sealed partial class HttpFilesTests
{
    private static readonly string HttpFolder = Path.Combine(Path.GetDirectoryName(CommittedOpenApiDocument.Folder)!, "http");

    [Fact]
    public void EveryRequest_InDocsHttp_IsAnOperationWithThoseQueryParameters()
    {
        var operations = Directory.GetFiles(CommittedOpenApiDocument.Folder, "*.json")
            .SelectMany(file => JsonNode.Parse(File.ReadAllText(file))!["paths"]!.AsObject())
            .SelectMany(path => path.Value!.AsObject().Select(operation => (Method: operation.Key.ToUpperInvariant(), Template: path.Key, Operation: operation.Value!)))
            .ToList();
        var requests = Directory.GetFiles(HttpFolder, "*.http")
            .SelectMany(file => File.ReadLines(file).Select(line => (File: Path.GetFileName(file), Match: Request().Match(line))))
            .Where(request => request.Match.Success)
            .ToList();

        var wrong = requests
            .Select(request => (request.File, Method: request.Match.Groups["method"].Value, Path: request.Match.Groups["path"].Value, Query: request.Match.Groups["query"].Value))
            .Where(request => !operations.Any(operation => operation.Method == request.Method
                && Matches(operation.Template, request.Path)
                && QueryNames(request.Query).All(name => HasQueryParameter(operation.Operation, name))))
            .Select(request => $"{request.File}: {request.Method} {request.Path}{(request.Query.Length > 0 ? "?" + request.Query : "")}");

        Assert.NotEmpty(requests);
        Assert.Empty(wrong);
    }

    /// <summary><c>/api/tasks/{{task.response.body.$.id}}</c> matches <c>/api/tasks/{id}</c>: a variable only stands for a route parameter.</summary>
    private static bool Matches(string template, string path)
    {
        var expected = template.Split('/');
        var actual = path.Split('/');
        return expected.Length == actual.Length && expected.Zip(actual).All(pair =>
            pair.First.StartsWith('{') ? pair.Second.Length > 0 : pair.First == pair.Second);
    }

    private static IEnumerable<string> QueryNames(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=')[0]);

    private static bool HasQueryParameter(JsonNode operation, string name) =>
        operation["parameters"]?.AsArray().Any(p => p!["in"]!.GetValue<string>() == "query" && p["name"]!.GetValue<string>() == name) == true;

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|PATCH|DELETE) \{\{gateway\}\}(?<path>[^?\s]+)(\?(?<query>\S*))?$")]
    private static partial Regex Request();
}
