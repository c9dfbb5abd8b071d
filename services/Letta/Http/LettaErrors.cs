using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace LettaPlatform.Letta;

/// <summary>
/// The one place that turns a failed Letta response, or a failure to reach Letta, into a typed
/// <see cref="LettaException"/>. Letta's bodies come in several shapes (docs/letta-notes.md §9): <c>detail</c> as a
/// string, an object (<c>PENDING_APPROVAL</c>) or FastAPI's validation list, an <c>error</c> object from
/// LLM providers, an <c>error</c> string for Cloud quotas, or nothing at all.
/// </summary>
public static class LettaErrors
{
    public static async Task<LettaException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return FromResponse(response.StatusCode, body, response.Headers.RetryAfter);
    }

    public static LettaException FromResponse(HttpStatusCode status, string? body, RetryConditionHeaderValue? retryAfterHeader = null)
    {
        var parsed = ParseBody(body);
        var retryAfter = RetryAfter(retryAfterHeader);
        var text = parsed.Detail ?? (string.IsNullOrWhiteSpace(body) ? status.ToString() : body);
        var message = $"Letta answered {(int)status} {status}: {text}";

        return (int)status switch
        {
            404 => new LettaNotFoundException(message, parsed.Detail, body) { ErrorCode = parsed.Code },
            400 or 422 => new LettaValidationException(message, status, parsed.Detail, body) { ErrorCode = parsed.Code, Errors = parsed.ValidationErrors },
            401 or 403 => new LettaUnauthorizedException(message, parsed.Detail, body) { ErrorCode = parsed.Code },
            402 => new LettaPaymentRequiredException(message, parsed.Detail, body) { ErrorCode = parsed.Code },
            409 when IsPendingApproval(parsed) => new LettaPendingApprovalException(message, parsed.Detail, body) { ErrorCode = parsed.Code ?? "PENDING_APPROVAL", PendingRequestId = parsed.PendingRequestId, RetryAfter = retryAfter },
            409 when IsBusy(parsed) => new LettaBusyException(message, parsed.Detail, body) { ErrorCode = parsed.Code, RunId = parsed.RunId, RetryAfter = retryAfter },
            409 => new LettaConflictException(message, parsed.Detail, body) { ErrorCode = parsed.Code, RetryAfter = retryAfter },
            429 => new LettaRateLimitedException(message, parsed.Detail, body) { ErrorCode = parsed.Code, RetryAfter = retryAfter },
            408 or 502 or 503 or 504 => new LettaUnavailableException(message, status, parsed.Detail, body) { ErrorCode = parsed.Code },
            _ => new LettaServerException(message, status, parsed.Detail, body) { ErrorCode = parsed.Code },
        };
    }

    /// <summary>Maps transport failures: refused connections, attempt timeouts and an open circuit.</summary>
    public static LettaException? FromException(Exception exception, string instanceName, CancellationToken cancellationToken) => exception switch
    {
        LettaException => null,
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        HttpRequestException e => new LettaUnavailableException($"Letta instance '{instanceName}' cannot be reached: {e.Message}", e.StatusCode, innerException: e),
        TimeoutRejectedException e => new LettaUnavailableException($"Letta instance '{instanceName}' did not answer in time.", innerException: e),
        TaskCanceledException e => new LettaUnavailableException($"Letta instance '{instanceName}' did not answer in time.", innerException: e),
        BrokenCircuitException e => new LettaUnavailableException($"Letta instance '{instanceName}' is failing; calls are paused by the circuit breaker.", innerException: e),
        _ => null,
    };

    internal static bool IsPendingApproval(ParsedError error) =>
        string.Equals(error.Code, "PENDING_APPROVAL", StringComparison.OrdinalIgnoreCase)
        || error.PendingRequestId is not null;

    // Letta reports a busy agent or conversation with a plain detail (and a run_id); recognise the wording.
    internal static bool IsBusy(ParsedError error) =>
        error.Code?.Contains("BUSY", StringComparison.OrdinalIgnoreCase) == true
        || error.Detail?.Contains("busy", StringComparison.OrdinalIgnoreCase) == true
        || error.Detail?.Contains("already processing", StringComparison.OrdinalIgnoreCase) == true
        || error.Detail?.Contains("currently processing", StringComparison.OrdinalIgnoreCase) == true
        || error.RunId is not null;

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    internal sealed record ParsedError(string? Detail, string? Code, string? PendingRequestId, string? RunId, IReadOnlyList<LettaValidationError> ValidationErrors);

    internal static ParsedError ParseBody(string? body)
    {
        var none = new ParsedError(null, null, null, null, []);
        if (string.IsNullOrWhiteSpace(body))
        {
            return none;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return none with { Detail = body.Length > 500 ? body[..500] : body };
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return none with { Detail = root.ValueKind == JsonValueKind.String ? root.GetString() : body };
            }
            var runId = Str(root, "run_id");
            if (root.TryGetProperty("detail", out var detail))
            {
                switch (detail.ValueKind)
                {
                    case JsonValueKind.String:
                        return none with { Detail = detail.GetString(), RunId = runId, Code = Str(root, "code") };
                    case JsonValueKind.Object:
                        return new ParsedError(
                            Str(detail, "message") ?? Str(detail, "detail") ?? Str(detail, "msg") ?? detail.GetRawText(),
                            Str(detail, "code") ?? Str(detail, "type"),
                            Str(detail, "pending_request_id"),
                            Str(detail, "run_id") ?? runId,
                            []);
                    case JsonValueKind.Array:
                        var errors = detail.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(e => new LettaValidationError(
                            e.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array
                                ? loc.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.String ? l.GetString()! : l.GetRawText()).ToArray()
                                : [],
                            Str(e, "msg") ?? e.GetRawText(),
                            Str(e, "type"))).ToArray();
                        return none with
                        {
                            Detail = string.Join("; ", errors.Select(e => e.Location.Count > 0 ? $"{string.Join('.', e.Location)}: {e.Message}" : e.Message)),
                            ValidationErrors = errors,
                            RunId = runId,
                        };
                }
            }
            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                {
                    var message = Str(error, "message");
                    var errorDetail = Str(error, "detail");
                    return none with
                    {
                        Detail = message is null ? errorDetail : errorDetail is null ? message : $"{message} ({errorDetail})",
                        Code = Str(error, "type") ?? Str(error, "code"),
                        RunId = runId,
                    };
                }
                if (error.ValueKind == JsonValueKind.String)
                {
                    return none with { Detail = error.GetString(), RunId = runId };
                }
            }
            return none with { Detail = Str(root, "message") ?? body, RunId = runId };
        }
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
