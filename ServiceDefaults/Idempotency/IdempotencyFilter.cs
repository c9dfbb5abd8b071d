using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LettaPlatform.ServiceDefaults.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> (IETF httpapi idempotency-key draft) for POSTs that create or act: the first
/// request with a key runs and its answer (status, content type, body — an event stream too) is kept
/// for <see cref="Retention"/> per user; the same key with the same request replays that answer; with
/// a different request it is a 422; while the first still runs, a 409. Kept in Redis. A request
/// without the header runs as always. Answers of 5xx are not kept, so a retry runs again.
/// </summary>
public sealed partial class IdempotencyFilter(IConnectionMultiplexer redis, ServiceIdentity service, ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 255;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    // The first request may run long (a chat turn); its claim outlives it, and is replaced by the answer.
    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(15);
    private const int MaxStoredBytes = 4 * 1024 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return await next(context);
        }

        var key = values.Count == 1 ? values[0] : null;
        if (key is null || key.Length is 0 or > MaxKeyLength || key.Any(c => c is < ' ' or > '~'))
        {
            return ApiProblems.Validation(HeaderName, $"{HeaderName} must be one value of 1 to {MaxKeyLength} printable ASCII characters (a UUID is a good choice).");
        }

        var userId = http.User.FindUserId();
        if (userId is null)
        {
            return await next(context);
        }

        var storeKey = new RedisKey($"idempotency:{service.Name}:{Hash(userId)}:{Hash(key)}");
        var fingerprint = await FingerprintAsync(http.Request);
        var db = redis.GetDatabase();
        bool claimed;
        StoredAnswer? existing;
        try
        {
            var claim = JsonSerializer.Serialize(new StoredAnswer(fingerprint, Pending: true, 0, null, null));
            claimed = await db.StringSetAsync(storeKey, claim, ClaimLifetime, When.NotExists);
            existing = claimed ? null : Read(await db.StringGetAsync(storeKey));
        }
        catch (Exception ex) when (ex.IsRedisFailure())
        {
            // Without the store a key cannot be honoured; the request still runs (as without the header).
            LogStoreUnavailable(ex);
            return await next(context);
        }

        if (existing is not null)
        {
            return existing.Fingerprint != fingerprint
                ? ApiProblems.IdempotencyKeyReused.Result($"This {HeaderName} was used for a different request; use a new key for a new request.")
                : existing.Pending
                    ? ApiProblems.IdempotencyKeyInProgress.Result($"The first request with this {HeaderName} is still running; wait for it, then retry to get its answer.")
                    : Replay(existing);
        }

        if (!claimed)
        {
            // The first answer expired between our two reads: nothing to replay, and nothing to keep.
            return await next(context);
        }

        return await RunAndKeepAsync(context, next, db, storeKey, fingerprint);
    }

    private async ValueTask<object?> RunAndKeepAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, IDatabase db, RedisKey storeKey, string fingerprint)
    {
        var http = context.HttpContext;
        var original = http.Response.Body;
        await using var capture = new CaptureStream(original, MaxStoredBytes);
        http.Response.Body = capture;
        try
        {
            var result = await next(context);
            if (result is IResult executable)
            {
                await executable.ExecuteAsync(http);
            }
            else if (result is not null)
            {
                await TypedResults.Ok(result).ExecuteAsync(http);
            }

            await capture.FlushAsync(http.RequestAborted);
        }
        catch
        {
            await ForgetAsync(db, storeKey);
            throw;
        }
        finally
        {
            http.Response.Body = original;
        }

        var status = http.Response.StatusCode;
        if (status >= 500 || capture.Overflowed)
        {
            await ForgetAsync(db, storeKey);
        }
        else
        {
            var answer = new StoredAnswer(fingerprint, Pending: false, status, http.Response.ContentType, Convert.ToBase64String(capture.Captured));
            try
            {
                await db.StringSetAsync(storeKey, JsonSerializer.Serialize(answer), Retention);
            }
            catch (Exception ex) when (ex.IsRedisFailure())
            {
                // The answer stands; only a later replay of it is lost.
                LogStoreUnavailable(ex);
            }
        }

        return Results.Empty;
    }

    private async Task ForgetAsync(IDatabase db, RedisKey storeKey)
    {
        try
        {
            await db.KeyDeleteAsync(storeKey);
        }
        catch (Exception ex) when (ex.IsRedisFailure())
        {
            LogStoreUnavailable(ex);
        }
    }

    private static IResult Replay(StoredAnswer answer) => new ReplayResult(answer);

    private static StoredAnswer? Read(RedisValue value) => value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<StoredAnswer>(value.ToString());

    /// <summary>What makes two requests "the same": method, path, query and body bytes.</summary>
    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var buffer = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    [LoggerMessage(LogLevel.Warning, "The idempotency store (Redis) is unavailable")]
    private partial void LogStoreUnavailable(Exception exception);

    private sealed record StoredAnswer(string Fingerprint, bool Pending, int Status, string? ContentType, string? Body);

    private sealed class ReplayResult(StoredAnswer answer) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = answer.Status;
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            if (answer.ContentType is not null)
            {
                httpContext.Response.ContentType = answer.ContentType;
            }

            await httpContext.Response.Body.WriteAsync(Convert.FromBase64String(answer.Body ?? ""));
        }
    }
}

public static class IdempotencyExtensions
{
    /// <summary>Honours <c>Idempotency-Key</c> on these endpoints (see <see cref="IdempotencyFilter"/>); needs <c>AddRedis</c>.</summary>
    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var filter = ActivatorUtilities.CreateInstance<IdempotencyFilter>(factory.ApplicationServices);
            return context => filter.InvokeAsync(context, next);
        });
        return builder;
    }
}
