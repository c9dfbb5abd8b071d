using System.Text.Json;
using System.Text.Json.Serialization;

namespace LettaPlatform.Letta;

/// <summary>The wire format: snake_case, nulls omitted (PATCH bodies are sparse), unknown fields ignored.</summary>
public static class LettaJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            AllowOutOfOrderMetadataProperties = true,
        };
        options.Converters.Add(new LettaMessageConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
