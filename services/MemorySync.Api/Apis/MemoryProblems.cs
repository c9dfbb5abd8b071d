using Microsoft.AspNetCore.Http.HttpResults;

namespace LettaPlatform.MemorySync.Api.Apis;

/// <summary>The memory API's problem details, each with a stable <c>code</c>.</summary>
internal static class MemoryProblems
{
    public static ProblemHttpResult AgentNotFound() =>
        Problem(StatusCodes.Status404NotFound, "agent_not_found", "Agent not found", "No such agent.");

    public static ProblemHttpResult BlockNotFound(string label) =>
        Problem(StatusCodes.Status404NotFound, "block_not_found", "Block not found", $"The agent has no block '{label}'.");

    public static ProblemHttpResult VersionNotFound(int version) =>
        Problem(StatusCodes.Status404NotFound, "version_not_found", "Version not found", $"The block has no version {version}.");

    public static ProblemHttpResult SnapshotNotFound() =>
        Problem(StatusCodes.Status404NotFound, "snapshot_not_found", "Snapshot not found", "The agent has no such snapshot.");

    public static ProblemHttpResult PreconditionRequired() =>
        Problem(StatusCodes.Status428PreconditionRequired, "if_match_required", "If-Match required",
            "Send If-Match with the block's version (its ETag) so that a concurrent change is not overwritten.");

    public static ProblemHttpResult Stale(int currentVersion) =>
        Problem(StatusCodes.Status412PreconditionFailed, "stale_version", "Stale version",
            $"The block has changed; its current version is {currentVersion}. Reload it and apply your edit again.",
            new Dictionary<string, object?> { ["currentVersion"] = currentVersion });

    public static ProblemHttpResult InConflict(string label) =>
        Problem(StatusCodes.Status409Conflict, "block_in_conflict", "Block in conflict",
            $"Block '{label}' has a conflict between your edit and the agent's; resolve it first (POST …/blocks/{label}/resolve).");

    public static ProblemHttpResult NotInConflict(string label) =>
        Problem(StatusCodes.Status409Conflict, "block_not_in_conflict", "No conflict", $"Block '{label}' has no conflict to resolve.");

    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid memory block",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.21",
            Extensions = { ["code"] = "invalid_block" },
        });

    private static ProblemHttpResult Problem(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: all);
    }
}
