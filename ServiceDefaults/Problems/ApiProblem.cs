using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LettaPlatform.ServiceDefaults.Problems;

/// <summary>
/// One kind of error of the platform's vocabulary: a stable <see cref="Code"/>, the HTTP status it
/// answers with, a title, and a <see cref="Type"/> URI derived from the code.
/// </summary>
public sealed record ApiProblem(string Code, int Status, string Title)
{
    public const string TypeBase = "https://lettaplatform.dev/problems/";

    public string Type => TypeOf(Code);

    /// <summary>The <c>type</c> URI of a code (also of codes passed on from elsewhere, such as Letta's error types).</summary>
    public static string TypeOf(string code) => TypeBase + code.Replace('_', '-');

    /// <summary>This problem as a typed result; <paramref name="detail"/> says what to do about it.</summary>
    public ProblemHttpResult Result(string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = Code };
        return TypedResults.Problem(detail: detail, statusCode: Status, title: Title, type: Type, extensions: all);
    }

    /// <summary>For code deep below an endpoint: thrown, then answered by the endpoint (or the exception handler) as <see cref="Result"/>.</summary>
    public ApiProblemException Exception(string detail, TimeSpan? retryAfter = null, Exception? inner = null) => new(this, detail, retryAfter, inner);
}

/// <summary>An <see cref="ApiProblem"/> raised where no result can be returned.</summary>
public sealed class ApiProblemException(ApiProblem problem, string detail, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(detail, inner)
{
    public ApiProblem Problem { get; } = problem;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public int Status => Problem.Status;

    public string Code => Problem.Code;

    public ProblemHttpResult ToResult(HttpContext context)
    {
        if (RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Problem.Result(Message);
    }
}
