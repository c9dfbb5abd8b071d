using System.Net;

namespace LettaPlatform.Letta;

/// <summary>Base of every error the Letta client raises; carries what Letta said.</summary>
public class LettaException : Exception
{
    public LettaException(string message, HttpStatusCode? statusCode = null, string? detail = null, string? rawBody = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Detail = detail;
        RawBody = rawBody;
    }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>The human-readable detail Letta returned (<c>detail</c>, <c>error.message</c>, …).</summary>
    public string? Detail { get; }

    public string? RawBody { get; }

    /// <summary>Letta's machine-readable error code or type when it sent one (<c>PENDING_APPROVAL</c>, <c>llm_rate_limit</c>, …).</summary>
    public string? ErrorCode { get; init; }
}

public sealed class LettaNotFoundException(string message, string? detail, string? rawBody)
    : LettaException(message, HttpStatusCode.NotFound, detail, rawBody);

/// <summary>400 or 422: Letta rejected the request.</summary>
public sealed class LettaValidationException(string message, HttpStatusCode statusCode, string? detail, string? rawBody)
    : LettaException(message, statusCode, detail, rawBody)
{
    /// <summary>FastAPI validation items (<c>{loc,msg,type}</c>) when the body had them.</summary>
    public IReadOnlyList<LettaValidationError> Errors { get; init; } = [];
}

public sealed record LettaValidationError(IReadOnlyList<string> Location, string Message, string? Type);

/// <summary>409 other than a pending approval or a busy agent: a uniqueness or optimistic-lock conflict.</summary>
public class LettaConflictException(string message, string? detail, string? rawBody)
    : LettaException(message, HttpStatusCode.Conflict, detail, rawBody)
{
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>409 <c>PENDING_APPROVAL</c>: the agent waits for an answer to a tool call before it takes new messages.</summary>
public sealed class LettaPendingApprovalException(string message, string? detail, string? rawBody)
    : LettaConflictException(message, detail, rawBody)
{
    public string? PendingRequestId { get; init; }
}

/// <summary>409 while the agent or conversation is already running a turn.</summary>
public sealed class LettaBusyException(string message, string? detail, string? rawBody)
    : LettaConflictException(message, detail, rawBody)
{
    public string? RunId { get; init; }
}

public sealed class LettaRateLimitedException(string message, string? detail, string? rawBody)
    : LettaException(message, HttpStatusCode.TooManyRequests, detail, rawBody)
{
    public TimeSpan? RetryAfter { get; init; }
}

public sealed class LettaUnauthorizedException(string message, string? detail, string? rawBody)
    : LettaException(message, HttpStatusCode.Unauthorized, detail, rawBody);

/// <summary>402: out of credits or over a plan quota (for example the agent limit).</summary>
public sealed class LettaPaymentRequiredException(string message, string? detail, string? rawBody)
    : LettaException(message, HttpStatusCode.PaymentRequired, detail, rawBody);

/// <summary>The instance cannot be reached or said it is unavailable (502/503/504, refused connection, timeout, open circuit).</summary>
public sealed class LettaUnavailableException(string message, HttpStatusCode? statusCode = null, string? detail = null, string? rawBody = null, Exception? innerException = null)
    : LettaException(message, statusCode, detail, rawBody, innerException);

public sealed class LettaServerException(string message, HttpStatusCode statusCode, string? detail, string? rawBody)
    : LettaException(message, statusCode, detail, rawBody);

/// <summary>A stream went silent (no bytes, not even a ping) for longer than the idle timeout.</summary>
public sealed class LettaStreamStalledException(TimeSpan idleTimeout)
    : LettaException($"The Letta stream sent nothing for {idleTimeout.TotalSeconds:0.#} s.")
{
    public TimeSpan IdleTimeout { get; } = idleTimeout;
}

/// <summary>The connection closed before <c>[DONE]</c>; resume with <c>starting_after</c> the last seq_id.</summary>
public sealed class LettaStreamTruncatedException(string message, int? lastSeqId, Exception? innerException = null)
    : LettaException(message, innerException: innerException)
{
    public int? LastSeqId { get; } = lastSeqId;
}

/// <summary>A stream chunk that is not valid JSON.</summary>
public sealed class LettaStreamFormatException(string message, string line, Exception? innerException = null)
    : LettaException(message, rawBody: line, innerException: innerException);
