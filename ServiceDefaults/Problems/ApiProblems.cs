using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LettaPlatform.ServiceDefaults.Problems;

/// <summary>
/// The platform's error vocabulary: every problem any service answers is one of these. The generic
/// ones are also what an error without a body of its own (a 404 route, a 405, a 401) is given.
/// </summary>
public static class ApiProblems
{
    // Generic, by status.
    public static readonly ApiProblem ValidationFailed = new("validation_failed", StatusCodes.Status400BadRequest, "The request is not valid");
    public static readonly ApiProblem MalformedRequest = new("malformed_request", StatusCodes.Status400BadRequest, "The request could not be read");
    public static readonly ApiProblem InvalidParameter = new("invalid_parameter", StatusCodes.Status400BadRequest, "A parameter is not valid");
    public static readonly ApiProblem InvalidHeader = new("invalid_header", StatusCodes.Status400BadRequest, "A header is not valid");
    public static readonly ApiProblem UnstorableText = new("unstorable_text", StatusCodes.Status400BadRequest, "The text cannot be stored");
    public static readonly ApiProblem Unauthorized = new("unauthorized", StatusCodes.Status401Unauthorized, "Unauthorized");
    public static readonly ApiProblem Forbidden = new("forbidden", StatusCodes.Status403Forbidden, "Forbidden");
    public static readonly ApiProblem NotFound = new("not_found", StatusCodes.Status404NotFound, "Not found");
    public static readonly ApiProblem MethodNotAllowed = new("method_not_allowed", StatusCodes.Status405MethodNotAllowed, "Method not allowed");
    public static readonly ApiProblem Conflict = new("conflict", StatusCodes.Status409Conflict, "Conflict");
    public static readonly ApiProblem PreconditionFailed = new("precondition_failed", StatusCodes.Status412PreconditionFailed, "Precondition failed");
    public static readonly ApiProblem PayloadTooLarge = new("payload_too_large", StatusCodes.Status413PayloadTooLarge, "The request is too large");
    public static readonly ApiProblem UnsupportedMediaType = new("unsupported_media_type", StatusCodes.Status415UnsupportedMediaType, "Unsupported media type");
    public static readonly ApiProblem Unprocessable = new("unprocessable", StatusCodes.Status422UnprocessableEntity, "The request cannot be processed");
    public static readonly ApiProblem PreconditionRequired = new("precondition_required", StatusCodes.Status428PreconditionRequired, "Precondition required");
    public static readonly ApiProblem TooManyRequests = new("too_many_requests", StatusCodes.Status429TooManyRequests, "Too many requests");
    public static readonly ApiProblem InternalError = new("internal_error", StatusCodes.Status500InternalServerError, "An unexpected error occurred");
    public static readonly ApiProblem BadGateway = new("bad_gateway", StatusCodes.Status502BadGateway, "A dependency failed");
    public static readonly ApiProblem ServiceUnavailable = new("service_unavailable", StatusCodes.Status503ServiceUnavailable, "Service unavailable");
    public static readonly ApiProblem GatewayTimeout = new("gateway_timeout", StatusCodes.Status504GatewayTimeout, "A dependency did not answer in time");

    // Dependencies.
    public static readonly ApiProblem DatabaseUnavailable = new("database_unavailable", StatusCodes.Status503ServiceUnavailable, "The database is unavailable");

    // Retries (Idempotency-Key).
    public static readonly ApiProblem IdempotencyKeyReused = new("idempotency_key_reused", StatusCodes.Status422UnprocessableEntity, "Idempotency key reused");
    public static readonly ApiProblem IdempotencyKeyInProgress = new("idempotency_key_in_progress", StatusCodes.Status409Conflict, "A request with this key is in progress");

    // Agents and templates (agent-management-api).
    public static readonly ApiProblem AgentNotFound = new("agent_not_found", StatusCodes.Status404NotFound, "Agent not found");
    public static readonly ApiProblem TemplateNotFound = new("template_not_found", StatusCodes.Status404NotFound, "Template not found");
    public static readonly ApiProblem RolloutNotFound = new("rollout_not_found", StatusCodes.Status404NotFound, "Rollout not found");
    public static readonly ApiProblem ProvisioningInProgress = new("provisioning_in_progress", StatusCodes.Status409Conflict, "Provisioning in progress");
    public static readonly ApiProblem ProvisioningBusy = new("provisioning_busy", StatusCodes.Status503ServiceUnavailable, "Provisioning in progress");
    public static readonly ApiProblem ConcurrentChange = new("concurrent_change", StatusCodes.Status409Conflict, "Concurrent change");
    public static readonly ApiProblem VersionConflict = new("version_conflict", StatusCodes.Status409Conflict, "Version conflict");
    public static readonly ApiProblem RolloutConflict = new("rollout_conflict", StatusCodes.Status409Conflict, "Rollout conflict");
    public static readonly ApiProblem NoHealthyLettaInstance = new("no_healthy_letta_instance", StatusCodes.Status503ServiceUnavailable, "No healthy Letta instance");
    public static readonly ApiProblem LettaFailed = new("letta_failed", StatusCodes.Status502BadGateway, "Letta failed");
    public static readonly ApiProblem ProjectNotFound = new("project_not_found", StatusCodes.Status404NotFound, "Project not found");
    public static readonly ApiProblem ProjectNameTaken = new("project_name_taken", StatusCodes.Status409Conflict, "Project name taken");

    // Chat (chat-api).
    public static readonly ApiProblem SessionNotFound = new("session_not_found", StatusCodes.Status404NotFound, "Session not found");
    public static readonly ApiProblem TurnInProgress = new("turn_in_progress", StatusCodes.Status409Conflict, "A turn is in progress");
    public static readonly ApiProblem ApprovalPending = new("approval_pending", StatusCodes.Status409Conflict, "An approval is pending");
    public static readonly ApiProblem PendingApprovalNotFound = new("pending_approval_not_found", StatusCodes.Status404NotFound, "No such pending approval");
    public static readonly ApiProblem LettaUnavailable = new("letta_unavailable", StatusCodes.Status503ServiceUnavailable, "The agent runtime is unavailable");
    public static readonly ApiProblem LettaBusy = new("letta_busy", StatusCodes.Status409Conflict, "The agent is busy");
    public static readonly ApiProblem LettaError = new("letta_error", StatusCodes.Status502BadGateway, "The agent runtime failed");
    public static readonly ApiProblem AgentManagementUnavailable = new("agent_management_unavailable", StatusCodes.Status503ServiceUnavailable, "Agent management is unavailable");
    public static readonly ApiProblem TurnEventsUnavailable = new("turn_events_unavailable", StatusCodes.Status503ServiceUnavailable, "The turn's events are unavailable");
    public static readonly ApiProblem TurnCancelled = new("turn_cancelled", StatusCodes.Status409Conflict, "The turn was cancelled");
    public static readonly ApiProblem HandOffSession = new("handoff_session", StatusCodes.Status409Conflict, "The session belongs to a hand-off");

    // Tools and tasks (tool-execution-api).
    public static readonly ApiProblem TaskNotFound = new("task_not_found", StatusCodes.Status404NotFound, "Task not found");
    public static readonly ApiProblem GitHubTokenRejected = new("github_token_rejected", StatusCodes.Status400BadRequest, "GitHub rejected the token");
    public static readonly ApiProblem GitHubUnavailable = new("github_unavailable", StatusCodes.Status502BadGateway, "GitHub could not verify the token");

    // Memory (memory-sync-api).
    public static readonly ApiProblem BlockNotFound = new("block_not_found", StatusCodes.Status404NotFound, "Block not found");
    public static readonly ApiProblem VersionNotFound = new("version_not_found", StatusCodes.Status404NotFound, "Version not found");
    public static readonly ApiProblem SnapshotNotFound = new("snapshot_not_found", StatusCodes.Status404NotFound, "Snapshot not found");
    public static readonly ApiProblem IfMatchRequired = new("if_match_required", StatusCodes.Status428PreconditionRequired, "If-Match required");
    public static readonly ApiProblem StaleVersion = new("stale_version", StatusCodes.Status412PreconditionFailed, "Stale version");
    public static readonly ApiProblem BlockInConflict = new("block_in_conflict", StatusCodes.Status409Conflict, "Block in conflict");
    public static readonly ApiProblem BlockNotInConflict = new("block_not_in_conflict", StatusCodes.Status409Conflict, "No conflict");
    public static readonly ApiProblem InvalidBlock = new("invalid_block", StatusCodes.Status422UnprocessableEntity, "Invalid memory block");

    private static readonly Dictionary<int, ApiProblem> ByStatus = new[]
    {
        ValidationFailed, Unauthorized, Forbidden, NotFound, MethodNotAllowed, Conflict, PreconditionFailed, PayloadTooLarge,
        UnsupportedMediaType, Unprocessable, PreconditionRequired, TooManyRequests, InternalError, BadGateway, ServiceUnavailable, GatewayTimeout,
    }.ToDictionary(p => p.Status);

    /// <summary>The generic problem of a status code (what an error response without its own body is given).</summary>
    public static ApiProblem ForStatus(int status) =>
        ByStatus.TryGetValue(status, out var problem) ? problem
        : status >= 500 ? InternalError
        : new ApiProblem($"http_{status}", status, "The request failed");

    /// <summary>The sentence of a <see cref="ValidationFailed"/> problem that has none of its own.</summary>
    public const string ValidationDetail = "Correct the fields listed in errors and send the request again.";

    /// <summary>A 400 listing what is wrong with each field (<c>errors</c>), with the <see cref="ValidationFailed"/> code.</summary>
    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(
            errors,
            detail: detail ?? ValidationDetail,
            title: ValidationFailed.Title,
            type: ValidationFailed.Type,
            extensions: new Dictionary<string, object?> { ["code"] = ValidationFailed.Code });

    public static ValidationProblem Validation(string field, string message) => Validation(new Dictionary<string, string[]> { [field] = [message] });
}
