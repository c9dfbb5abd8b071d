using System.Net;
using System.Text;
using System.Text.Json;

namespace LettaPlatform.Cli.Platform;

/// <summary>A request the platform answered with an error status; <see cref="Message"/> is what its problem details say.</summary>
public sealed class PlatformException(string request, HttpStatusCode status, string message) : Exception(message)
{
    public string Request { get; } = request;

    public HttpStatusCode Status { get; } = status;

    public bool IsUnauthorized => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    /// <summary>Reads an error response: its RFC 9457 problem details (title, detail, code, field errors) when it has them.</summary>
    public static async Task<PlatformException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var request = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}";
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = new StringBuilder($"{(int)response.StatusCode} {Describe(response.StatusCode)}");
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            if (Text(root, "code") is { } code)
            {
                message.Append($" ({code})");
            }

            if ((Text(root, "detail") ?? Text(root, "title")) is { } detail)
            {
                message.Append($": {detail}");
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    foreach (var error in field.Value.EnumerateArray())
                    {
                        message.Append($"{Environment.NewLine}  {field.Name}: {error.GetString()}");
                    }
                }
            }
        }
        catch (JsonException)
        {
            if (!string.IsNullOrWhiteSpace(body))
            {
                message.Append($": {body.Trim()}");
            }
        }

        return new PlatformException(request, response.StatusCode, message.ToString());
    }

    private static string Describe(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "Unauthorized (the token is missing, expired or not from the platform's issuer)",
        HttpStatusCode.Forbidden => "Forbidden (the token lacks the admin role)",
        _ => status.ToString(),
    };

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
