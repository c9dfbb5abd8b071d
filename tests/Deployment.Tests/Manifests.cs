using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LettaPlatform.Deployment.Tests;

/// <summary>Rendered multi-document YAML as JSON objects, to query with paths.</summary>
public static class Manifests
{
    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents
            .Where(document => document.RootNode is YamlMappingNode)
            .Select(document => (JsonObject)ToJson(document.RootNode)!)
            .ToList();
    }

    public static string Kind(this JsonObject manifest) => manifest["kind"]?.GetValue<string>() ?? "";

    public static string Name(this JsonObject manifest) => manifest["metadata"]?["name"]?.GetValue<string>() ?? "";

    public static IEnumerable<JsonObject> OfKind(this IEnumerable<JsonObject> manifests, string kind) =>
        manifests.Where(manifest => manifest.Kind() == kind);

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    /// <summary>A plain scalar is a number, boolean or null when it reads as one (YAML 1.2 core schema); a quoted one is a string.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "null" or "~" or "" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => JsonValue.Create(real),
            _ => JsonValue.Create(value),
        };
    }
}
