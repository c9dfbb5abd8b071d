using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LettaPlatform.Chat.Api.Debug;

/// <summary>
/// Removes secrets from what debug capture stores: credential headers, JSON properties named like a secret, and
/// anything in a text that looks like a token (bearer credentials, GitHub and API keys, JWTs, key=value secrets in
/// URLs). Capture keeps the shape of a request, never a credential; redacting too much is the accepted cost.
/// </summary>
public static partial class SecretRedactor
{
    public const string Redacted = "[redacted]";

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "Api-Key", "X-Letta-Api-Key", "X-GitHub-Token",
    };

    public static bool IsSecretHeader(string name) => SecretHeaders.Contains(name) || SecretName().IsMatch(name);

    /// <summary>Every token-shaped substring replaced; JSON texts also lose the values of secret-named properties.</summary>
    public static string Text(string text)
    {
        if (text.Length > 0 && text.TrimStart() is ['{' or '[', ..])
        {
            try
            {
                if (JsonNode.Parse(text) is { } json)
                {
                    text = Json(json).ToJsonString();
                }
            }
            catch (System.Text.Json.JsonException)
            {
            }
        }

        return TokenLike().Replace(text, Redacted);
    }

    private static JsonNode Json(JsonNode node)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var (name, value) in json.ToList())
                {
                    if (SecretName().IsMatch(name) && value is JsonValue)
                    {
                        json[name] = Redacted;
                    }
                    else if (value is not null)
                    {
                        Json(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        Json(item);
                    }
                }

                break;
        }

        return node;
    }

    [GeneratedRegex(@"(token|secret|password|passwd|api[-_]?key|authorization|credential|private[-_]?key)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?:Bearer|Basic|token)\s+[A-Za-z0-9\-._~+/=]{8,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|sk-[A-Za-z0-9\-_]{16,}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+|(?<=[?&](?:key|token|api_key|password)=)[^&\s""]+", RegexOptions.IgnoreCase)]
    private static partial Regex TokenLike();
}
