using Microsoft.AspNetCore.Http;

namespace LettaPlatform.ServiceDefaults.Problems;

/// <summary>Refuses a request whose path or query holds text that <see cref="StorableText"/> cannot store, before any endpoint sees it.</summary>
public sealed class UnstorableTextMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!StorableText.IsStorable(context.Request.Path.Value))
        {
            return WriteAsync(context, "The path holds the NUL character (U+0000) or an unpaired surrogate; remove it and send again.");
        }

        foreach (var (name, values) in context.Request.Query)
        {
            if (!StorableText.IsStorable(name) || values.Any(v => !StorableText.IsStorable(v)))
            {
                return WriteAsync(context, $"The query parameter '{StorableText.Sanitize(name)}' holds the NUL character (U+0000) or an unpaired surrogate; remove it and send again.");
            }
        }

        return next(context);
    }

    private static Task WriteAsync(HttpContext context, string detail) => ApiProblems.UnstorableText.Result(detail).ExecuteAsync(context);
}
