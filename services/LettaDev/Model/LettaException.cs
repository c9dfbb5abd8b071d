using System.Text.Json.Nodes;

namespace LettaPlatform.LettaDev.Model;

/// <summary>An error answered with Letta's body: <c>{"detail": …}</c> plus any extra top-level fields.</summary>
public sealed class LettaException(int status, JsonNode detail, JsonObject? extra = null)
    : Exception(detail is JsonValue v && v.TryGetValue(out string? s) ? s : detail.ToJsonString())
{
    public LettaException(int status, string detail, JsonObject? extra = null)
        : this(status, JsonValue.Create(detail), extra)
    {
    }

    public int Status { get; } = status;

    public JsonObject Body()
    {
        var body = new JsonObject { ["detail"] = detail.DeepClone() };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                body[key] = value?.DeepClone();
            }
        }
        return body;
    }

    public static LettaException NotFound(string what) => new(StatusCodes.Status404NotFound, $"{what} not found");

    public static LettaException Invalid(string detail) => new(StatusCodes.Status422UnprocessableEntity, detail);

    public static LettaException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);
}
