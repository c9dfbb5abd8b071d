using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LettaPlatform.ServiceDefaults;

/// <summary>Writes a health report as JSON: the overall status and each check's status, so an operator sees which dependency is down.</summary>
public static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new HealthReportBody(
            report.Status.ToString(),
            report.TotalDuration.TotalMilliseconds,
            report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new HealthEntryBody(
                    entry.Value.Status.ToString(),
                    entry.Value.Description,
                    entry.Value.Duration.TotalMilliseconds)));

        return context.Response.WriteAsJsonAsync(body, JsonSerializerOptions.Web, context.RequestAborted);
    }

    private sealed record HealthReportBody(string Status, double DurationMs, IReadOnlyDictionary<string, HealthEntryBody> Checks);

    private sealed record HealthEntryBody(string Status, string? Description, double DurationMs);
}
