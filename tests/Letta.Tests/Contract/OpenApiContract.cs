using System.Text.Json;
using System.Text.RegularExpressions;

namespace LettaPlatform.Letta.Tests.Contract;

/// <summary>Letta's published OpenAPI 3.1 document (<c>Contract/Spec/letta-openapi.json</c>, v0.16.8), its operations and schemas.</summary>
public sealed class OpenApiContract
{
    private readonly List<(string Template, Regex Regex, int Literals)> _paths;

    private OpenApiContract(JsonDocument document)
    {
        Document = document;
        Validator = new JsonSchemaValidator(document.RootElement);
        _paths = document.RootElement.GetProperty("paths").EnumerateObject()
            .Select(p => (p.Name, new Regex("^" + Regex.Replace(Regex.Escape(p.Name), @"\\\{[^}]+}", "([^/]+)") + "$"), p.Name.Split('/').Count(s => !s.StartsWith('{'))))
            .OrderByDescending(p => p.Item3)
            .ToList();
    }

    public static OpenApiContract Letta { get; } = Load();

    public JsonDocument Document { get; }

    public JsonSchemaValidator Validator { get; }

    /// <summary>The copy of the spec kept beside these tests (see Contract/Spec/SOURCE.md), copied to the output folder.</summary>
    public static string SpecPath => Path.Combine(AppContext.BaseDirectory, "Contract", "Spec", "letta-openapi.json");

    private static OpenApiContract Load() => new(JsonDocument.Parse(File.ReadAllText(SpecPath)));

    /// <summary>The operation for a method and a concrete path, or null when the spec has none.</summary>
    public OpenApiOperation? Find(HttpMethod method, string path)
    {
        foreach (var (template, regex, _) in _paths)
        {
            var match = regex.Match(path);
            if (!match.Success)
            {
                continue;
            }
            var item = Document.RootElement.GetProperty("paths").GetProperty(template);
            if (item.TryGetProperty(method.Method.ToLowerInvariant(), out var operation))
            {
                var names = Regex.Matches(template, @"\{([^}]+)}").Select(m => m.Groups[1].Value).ToArray();
                var values = names.Select((name, i) => (name, Uri.UnescapeDataString(match.Groups[i + 1].Value))).ToDictionary();
                return new OpenApiOperation(method.Method, template, operation, values);
            }
        }
        return null;
    }
}

public sealed record OpenApiOperation(string Method, string PathTemplate, JsonElement Operation, IReadOnlyDictionary<string, string> PathValues)
{
    public string Id => Operation.TryGetProperty("operationId", out var id) ? id.GetString()! : $"{Method} {PathTemplate}";

    public IEnumerable<JsonElement> Parameters(string location) => Operation.TryGetProperty("parameters", out var parameters)
        ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == location)
        : [];

    public JsonElement? RequestSchema(string mediaType) =>
        Operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty(mediaType, out var content) && content.TryGetProperty("schema", out var schema)
            ? schema
            : null;

    public bool RequestBodyRequired => Operation.TryGetProperty("requestBody", out var body) && body.TryGetProperty("required", out var required) && required.GetBoolean();

    public JsonElement? ResponseContent(int status, string mediaType)
    {
        var responses = Operation.GetProperty("responses");
        if (!responses.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) && !responses.TryGetProperty("default", out response))
        {
            return null;
        }
        return response.TryGetProperty("content", out var content) && content.TryGetProperty(mediaType, out var media) ? media : null;
    }

    public bool DeclaresStatus(int status) => Operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out _);
}
