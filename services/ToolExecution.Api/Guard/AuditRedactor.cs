using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LettaPlatform.ToolExecution.Api.Guard;

/// <summary>
/// Makes arguments safe to keep in the audit ledger: values of secret-looking keys, GitHub tokens and
/// bearer credentials anywhere in a string, and any known secret (the user's own token) are replaced.
/// </summary>
public static partial class AuditRedactor
{
    public const string Redacted = "[redacted]";

    public static string Redact(string argumentsJson, IEnumerable<string> knownSecrets)
    {
        var secrets = knownSecrets.Where(s => s.Length >= 8).ToList();
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(argumentsJson);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: keep it as a string so the ledger still shows what was sent.
            return new JsonObject { ["unparsed"] = RedactText(argumentsJson, secrets) }.ToJsonString();
        }

        return (RedactNode(node, secrets) ?? new JsonObject()).ToJsonString();
    }

    private static JsonNode? RedactNode(JsonNode? node, List<string> secrets) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(
            p.Key,
            SecretKey().IsMatch(p.Key) ? JsonValue.Create(Redacted) : RedactNode(p.Value, secrets)))),
        JsonArray array => new JsonArray([.. array.Select(item => RedactNode(item, secrets))]),
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String =>
            JsonValue.Create(RedactText(value.GetValue<string>(), secrets)),
        _ => node?.DeepClone(),
    };

    public static string RedactText(string text, IReadOnlyCollection<string> secrets)
    {
        var redacted = SecretValue().Replace(text, Redacted);
        foreach (var secret in secrets)
        {
            redacted = redacted.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        return redacted;
    }

    [GeneratedRegex("(token|secret|password|passwd|api[_-]?key|authorization|credential)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|Bearer\s+[A-Za-z0-9._~+/=-]{16,})")]
    private static partial Regex SecretValue();
}
