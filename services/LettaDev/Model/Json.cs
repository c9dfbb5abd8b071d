using System.Text.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.LettaDev.Model;

/// <summary>Typed reads from request bodies; a wrong type is Letta's 422.</summary>
public static class Json
{
    /// <summary>Like Python's json.dumps: quotes and non-ASCII text are written as they are, not as \u escapes.</summary>
    public static readonly JsonSerializerOptions Wire = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool Has(this JsonObject obj, string name) => obj.TryGetPropertyValue(name, out var node) && node is not null;

    public static string? Str(this JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }
        return node is JsonValue value && value.TryGetValue(out string? s) ? s : throw Wrong(name, "a string");
    }

    public static bool? Bool(this JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }
        return node is JsonValue value && value.TryGetValue(out bool b) ? b : throw Wrong(name, "a boolean");
    }

    public static int? Int(this JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out int i)
            ? i
            : throw Wrong(name, "an integer");
    }

    public static List<string>? Strings(this JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }
        if (node is not JsonArray array)
        {
            throw Wrong(name, "an array of strings");
        }
        return [.. array.Select(item => item is JsonValue v && v.TryGetValue(out string? s) ? s : throw Wrong(name, "an array of strings"))];
    }

    public static JsonObject? Obj(this JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }
        return node as JsonObject ?? throw Wrong(name, "an object");
    }

    public static JsonArray? Arr(this JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }
        return node as JsonArray ?? throw Wrong(name, "an array");
    }

    public static string RequireStr(this JsonObject obj, string name) =>
        obj.Str(name) ?? throw LettaException.Invalid($"body.{name}: Field required");

    private static LettaException Wrong(string name, string expected) => LettaException.Invalid($"body.{name}: Input should be {expected}");

    /// <summary>Word count, the deterministic model's token measure.</summary>
    public static int Words(string? text) =>
        string.IsNullOrWhiteSpace(text) ? 0 : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
