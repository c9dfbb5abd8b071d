namespace LettaPlatform.Chat.Api;

/// <summary>A failure that becomes a problem-details answer with a stable <c>type</c> and <c>code</c>.</summary>
public sealed class ChatProblemException(int status, string code, string title, string detail, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(detail, inner)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Title { get; } = title;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public string Type => ChatProblems.TypeFor(Code);
}

public static class ChatProblems
{
    public const string SessionNotFound = "session_not_found";
    public const string AgentNotFound = "agent_not_found";
    public const string TurnInProgress = "turn_in_progress";
    public const string ApprovalPending = "approval_pending";
    public const string PendingApprovalNotFound = "pending_approval_not_found";
    public const string LettaUnavailable = "letta_unavailable";
    public const string LettaBusy = "letta_busy";
    public const string LettaError = "letta_error";
    public const string AgentManagementUnavailable = "agent_management_unavailable";
    public const string NoTurn = "no_turn";

    public static string TypeFor(string code) => $"https://lettaplatform.dev/problems/{code.Replace('_', '-')}";

    public static ChatProblemException SessionMissing() =>
        new(StatusCodes.Status404NotFound, SessionNotFound, "Session not found", "There is no such chat session.");

    public static ChatProblemException TurnRunning() =>
        new(StatusCodes.Status409Conflict, TurnInProgress, "A turn is in progress",
            "This session is answering another message; wait for it to finish (or follow it on /stream) and send again.");

    public static ChatProblemException AwaitingApproval(string toolCallId) =>
        new(StatusCodes.Status409Conflict, ApprovalPending, "An approval is pending",
            $"The agent waits for your answer to tool call '{toolCallId}'; approve or deny it first.");

    public static ChatProblemException LettaDown(int retryAfterSeconds, Exception inner) =>
        new(StatusCodes.Status503ServiceUnavailable, LettaUnavailable, "The agent runtime is unavailable",
            "Letta cannot be reached right now; your history is still available. Try again shortly.",
            TimeSpan.FromSeconds(retryAfterSeconds), inner);

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ToResult(this ChatProblemException problem, HttpContext context)
    {
        if (problem.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(
            statusCode: problem.Status,
            title: problem.Title,
            detail: problem.Message,
            type: problem.Type,
            extensions: new Dictionary<string, object?> { ["code"] = problem.Code });
    }
}
