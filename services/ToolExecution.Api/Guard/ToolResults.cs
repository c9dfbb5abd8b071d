using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;

namespace LettaPlatform.ToolExecution.Api.Guard;

/// <summary>
/// The JSON a tool call answers with (<c>ToolCallExecuted.Result</c>), always an object:
/// <c>{"status":"success","data":{…}}</c> (plus <c>"truncated":true</c> when lists were cut to fit), or
/// <c>{"status":"error"|"denied","error":{"code":"…","message":"…"}}</c>.
/// </summary>
public static class ToolResults
{
    // Results are read by a model, never embedded in HTML: keep quotes, backticks and non-ASCII text legible.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Wraps text that came from people or GitHub, so a model reads it as data, never as instructions.</summary>
    public static JsonNode? Untrusted(string? text) => text is null ? null : new JsonObject { ["untrusted_text"] = text };

    public static string Failure(string status, string code, string message) => new JsonObject
    {
        ["status"] = status,
        ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
    }.ToJsonString(Json);

    /// <summary>
    /// The success envelope of <paramref name="data"/>, at most <paramref name="maxChars"/> long: the longest
    /// list is shortened item by item until it fits. Null when even that cannot make it fit.
    /// </summary>
    public static string? Success(JsonNode data, int maxChars)
    {
        var envelope = new JsonObject { ["status"] = ToolCallStatus.Success, ["data"] = data };
        var text = envelope.ToJsonString(Json);
        if (text.Length <= maxChars)
        {
            return text;
        }

        envelope["truncated"] = true;
        while (text.Length > maxChars && LongestList(data) is { Count: > 0 } list)
        {
            list.RemoveAt(list.Count - 1);
            text = envelope.ToJsonString(Json);
        }

        return text.Length <= maxChars ? text : null;
    }

    private static JsonArray? LongestList(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(LongestList).Append(array).OfType<JsonArray>().MaxBy(a => a.ToJsonString().Length),
        JsonObject obj => obj.Select(p => LongestList(p.Value)).OfType<JsonArray>().MaxBy(a => a.ToJsonString().Length),
        _ => null,
    };
}

/// <summary>A tool's failure that the agent should hear about (a GitHub error, a missing branch…).</summary>
public sealed class ToolFailureException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>Check 3's refusal: the acting user may not do this (not their task, not an allowed repository…).</summary>
public sealed record ToolDenial(string Code, string Message);
