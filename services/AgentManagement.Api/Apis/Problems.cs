using LettaPlatform.AgentManagement.Api.Services;
using LettaPlatform.Letta;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LettaPlatform.AgentManagement.Api.Apis;

/// <summary>The service's problem details, each with a stable <c>code</c> extension.</summary>
internal static class Problems
{
    public static ValidationProblem Validation(string field, string message, string code = "validation_failed") =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            title: "The request is not valid.",
            extensions: new Dictionary<string, object?> { ["code"] = code });

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.", extensions: new Dictionary<string, object?> { ["code"] = "validation_failed" });

    public static ProblemHttpResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, $"{what} was not found.", "not_found");

    public static ProblemHttpResult Conflict(string detail, string code) => Problem(StatusCodes.Status409Conflict, detail, code);

    /// <summary>Failures of Letta or of a concurrent provisioning, which the caller may retry.</summary>
    public static ProblemHttpResult Unavailable(Exception exception) => exception switch
    {
        NoHealthyLettaInstanceException => Problem(StatusCodes.Status503ServiceUnavailable, exception.Message, "no_healthy_letta_instance"),
        ProvisioningInProgressException => Problem(StatusCodes.Status503ServiceUnavailable, exception.Message, "provisioning_in_progress"),
        LettaException letta => Problem(StatusCodes.Status502BadGateway, $"Letta failed: {letta.Message}", "letta_failed"),
        _ => throw new ArgumentOutOfRangeException(nameof(exception), exception, "Not a retryable failure."),
    };

    public static bool IsUnavailable(Exception exception) =>
        exception is NoHealthyLettaInstanceException or ProvisioningInProgressException or LettaException;

    private static ProblemHttpResult Problem(int status, string detail, string code) =>
        TypedResults.Problem(detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code });
}
