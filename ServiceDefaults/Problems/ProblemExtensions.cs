using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.ServiceDefaults.Problems;

public static class ProblemExtensions
{
    /// <summary>
    /// Every error is an RFC 9457 problem with a <c>code</c> and a <c>type</c> of
    /// <see cref="ApiProblems"/>; unreadable input is a 4xx (never a 500) in every environment;
    /// request bodies refuse unstorable text as they are read.
    /// </summary>
    public static IServiceCollection AddProblemDefaults(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var details = context.ProblemDetails;
            if (details.Extensions.ContainsKey("code"))
            {
                return;
            }

            // The built-in validation of request records (AddValidation) answers with the CLR member
            // names and its own title; it is made the same answer as ApiProblems.Validation.
            if (details is HttpValidationProblemDetails validation)
            {
                NameFieldsAsJson(validation.Errors);
                details.Title = ApiProblems.ValidationFailed.Title;
                details.Detail ??= ApiProblems.ValidationDetail;
            }

            var problem = ApiProblems.ForStatus(details.Status ?? context.HttpContext.Response.StatusCode);
            details.Extensions["code"] = problem.Code;
            if (details.Type is null || details.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            {
                details.Type = problem.Type;
            }

            details.Title ??= problem.Title;
            details.Detail ??= DefaultDetail(problem.Status);
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();

        // Minimal APIs answer a bad parameter with an empty 400 unless they throw; thrown, the
        // exception handler gives it a body that says what was wrong.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new StorableStringConverter());

            // A number is a JSON number: "1" for an integer field is a wrong type, as "true" is for a boolean.
            options.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        return services;
    }

    /// <summary>
    /// Renames each key of <paramref name="errors"/> as the body names it: <c>Blocks[0].Label</c> becomes
    /// <c>blocks[0].label</c> (the JSON options' camelCase), so a field is called the same in every answer.
    /// </summary>
    private static void NameFieldsAsJson(IDictionary<string, string[]> errors)
    {
        var renamed = errors
            .GroupBy(e => string.Join('.', e.Key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName)), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray(), StringComparer.Ordinal);
        errors.Clear();
        foreach (var (field, messages) in renamed)
        {
            errors[field] = messages;
        }
    }

    /// <summary>The sentence of an error that came without one (a status-code page, a framework refusal).</summary>
    private static string DefaultDetail(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid; correct it and send it again.",
        StatusCodes.Status401Unauthorized => "Send 'Authorization: Bearer <token>' with a valid token.",
        StatusCodes.Status403Forbidden => "Your account may not use this operation.",
        StatusCodes.Status404NotFound => "There is nothing at this address for you; check the path and the id in it.",
        StatusCodes.Status405MethodNotAllowed => "This address does not accept this HTTP method; see the API document for the ones it does.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this service accepts; send a smaller one.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with 'Content-Type: application/json'.",
        StatusCodes.Status429TooManyRequests => "Too many requests; wait and try again.",
        >= 500 => "The service failed to answer; try again later.",
        _ => "The request could not be completed.",
    };
}
