using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace LettaPlatform.Letta;

/// <summary>How a request may be retried; set on each request by the client.</summary>
internal enum LettaCallKind
{
    /// <summary>GET, PUT, PATCH, DELETE and stream resumes: repeating them changes nothing.</summary>
    Idempotent,

    /// <summary>
    /// A message send. It is retried only because a retry re-sends the very same body, with the same
    /// otid values, and Letta re-attaches a repeated otid to the run it already started instead of
    /// running the turn again. A 409 for a busy agent or a pending approval is never retried.
    /// </summary>
    Send,

    /// <summary>A POST that creates something: retried only when Letta certainly did not act on it.</summary>
    Create,
}

internal static class LettaResilience
{
    public static readonly HttpRequestOptionsKey<LettaCallKind> CallKind = new("Letta.CallKind");

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, LettaResilienceOptions options, bool attemptTimeout)
    {
        if (attemptTimeout)
        {
            pipeline.AddTimeout(options.TotalTimeout);
        }

        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ShouldRetryAsync(args.Outcome, args.Context),
            });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsOutage(args.Outcome)),
        });

        if (attemptTimeout)
        {
            pipeline.AddTimeout(options.AttemptTimeout);
        }
    }

    private static bool IsOutage(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };

    private static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        var kind = request is not null && request.Options.TryGetValue(CallKind, out var k) ? k : LettaCallKind.Create;

        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                HttpRequestException e => kind != LettaCallKind.Create || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError,
                TimeoutRejectedException => kind == LettaCallKind.Idempotent,
                _ => false,
            };
        }

        var response = outcome.Result!;
        switch ((int)response.StatusCode)
        {
            case 429:
            case 503:
                return true;
            case 409:
                // Only a 409 that says "try again later" (a database deadlock or a lost optimistic lock) is transient.
                if (!HasRetryAfter(response.Headers.RetryAfter))
                {
                    return false;
                }
                if (kind != LettaCallKind.Send)
                {
                    return true;
                }
                await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                var parsed = LettaErrors.ParseBody(body);
                return !LettaErrors.IsPendingApproval(parsed) && !LettaErrors.IsBusy(parsed);
            case 502:
            case 504:
                return kind != LettaCallKind.Create;
            case 408:
            case 500:
                return kind == LettaCallKind.Idempotent;
            default:
                return false;
        }
    }

    private static bool HasRetryAfter(RetryConditionHeaderValue? header) => header?.Delta is not null || header?.Date is not null;
}
