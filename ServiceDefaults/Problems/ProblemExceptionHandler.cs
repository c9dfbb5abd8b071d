using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace LettaPlatform.ServiceDefaults.Problems;

/// <summary>
/// Turns the exceptions that mean "the client sent something unusable" into 4xx problems with a
/// sentence saying what to fix: a body or parameter that could not be read
/// (<see cref="BadHttpRequestException"/>, thrown by minimal APIs in every environment), an
/// <see cref="ApiProblemException"/> no endpoint caught, and — should a check be missing — text
/// PostgreSQL refuses to store. A database that cannot be reached (restarting, shutting down, the
/// connection lost) is a 503 with <c>Retry-After</c>: nothing was saved, so the client may retry.
/// Everything else is left to the default 500 problem.
/// </summary>
public sealed class ProblemExceptionHandler : IExceptionHandler
{
    private const int MaxEchoedLength = 300;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            ApiProblemException problem => problem.ToResult(httpContext),
            BadHttpRequestException bad => FromBadRequest(bad),
            _ when FindUnstorableText(exception) is not null => ApiProblems.UnstorableText.Result(StorableText.Rule),
            _ when IsDatabaseUnavailable(exception) => DatabaseUnavailable(httpContext),
            _ => null,
        };
        if (result is null || httpContext.Response.HasStarted)
        {
            return false;
        }

        await result.ExecuteAsync(httpContext);
        return true;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult FromBadRequest(BadHttpRequestException exception)
    {
        switch (exception.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return ApiProblems.PayloadTooLarge.Result("The request body is larger than this service accepts; send a smaller one.");
            case StatusCodes.Status415UnsupportedMediaType:
                return ApiProblems.UnsupportedMediaType.Result("Send the body as JSON with 'Content-Type: application/json'.");
        }

        var json = FindInner<JsonException>(exception);
        if (json is UnstorableTextException)
        {
            return ApiProblems.UnstorableText.Result($"{json.Message}{At(json)}");
        }

        if (json is not null)
        {
            return ApiProblems.MalformedRequest.Result($"The JSON body could not be read{At(json)}: {Reason(json)} Send a JSON object with the fields and types this operation documents.");
        }

        if (exception.StatusCode == StatusCodes.Status400BadRequest && exception.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal))
        {
            return ApiProblems.InvalidParameter.Result($"{Echo(exception.Message)} Give one value of the documented type (a number within range, a GUID, …).");
        }

        if (exception.Message.StartsWith("Required parameter", StringComparison.Ordinal) && exception.Message.Contains("from body", StringComparison.Ordinal))
        {
            return ApiProblems.MalformedRequest.Result("The request needs a JSON object body; send one with the fields this operation documents.");
        }

        var problem = exception.StatusCode == StatusCodes.Status400BadRequest ? ApiProblems.MalformedRequest : ApiProblems.ForStatus(exception.StatusCode);
        return problem.Result($"{Echo(exception.Message)} Correct the request and send it again.");
    }

    private static string At(JsonException json) => string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "" : $" (at {json.Path})";

    private static string Reason(JsonException json)
    {
        var message = json.Message;
        if (FindInner<InvalidOperationException>(json) is not null
            || message.Contains("surrogate", StringComparison.OrdinalIgnoreCase)
            || message.Contains("UTF-16", StringComparison.OrdinalIgnoreCase))
        {
            return "a string holds an unpaired surrogate.";
        }

        if (message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) || message.Contains("UTF8", StringComparison.OrdinalIgnoreCase))
        {
            return "it is not valid UTF-8.";
        }

        if (message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            return "it is nested too deeply.";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "a value has the wrong type (or the body is not a JSON object).";
        }

        return "it is not well-formed JSON.";
    }

    private static string Echo(string message) =>
        StorableText.Sanitize(message.Length <= MaxEchoedLength ? message : message[..MaxEchoedLength] + "…");

    /// <summary>
    /// The server is not there or is going away: a connection that could not be opened or was lost
    /// (Npgsql's transient errors) and PostgreSQL's own "shutting down / starting up" (class 57P).
    /// A lost connection during a commit is the one case whose outcome is unknown; PostgreSQL
    /// rolls such a transaction back unless the commit record was already written.
    /// </summary>
    internal static bool IsDatabaseUnavailable(Exception exception) =>
        FindInner<PostgresException>(exception) is { } postgres
            ? postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            : FindInner<NpgsqlException>(exception) is { IsTransient: true };

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult DatabaseUnavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "2";
        return ApiProblems.DatabaseUnavailable.Result("The service's database cannot be reached right now (it may be restarting); nothing was saved. Try again in a moment.");
    }

    private static PostgresException? FindUnstorableText(Exception exception) =>
        FindInner<PostgresException>(exception) is { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter } postgres
            ? postgres
            : null;

    private static T? FindInner<T>(Exception? exception) where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }
}
