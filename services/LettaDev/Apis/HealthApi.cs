namespace LettaPlatform.LettaDev.Apis;

public static class HealthApi
{
    public const string Version = "0.16.8";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1").WithTags("Health");
        // ASP.NET Core routing ignores a trailing slash, so "/v1/health/" (Letta's spelling) matches too.
        api.MapGet("/health", GetHealth).WithName("Health")
            .WithSummary("Health")
            .WithDescription("Always `ok`, with the Letta version whose API LettaDev follows. Needs no password.");
        api.MapGet("/ready", GetReady).WithName("Ready")
            .WithSummary("Readiness")
            .WithDescription("Always `ready`, with the Letta version whose API LettaDev follows. Needs no password.");
        return app;
    }

    public static Ok<HealthResponse> GetHealth() => TypedResults.Ok(new HealthResponse(Version, "ok"));

    public static Ok<HealthResponse> GetReady() => TypedResults.Ok(new HealthResponse(Version, "ready"));
}

public sealed record HealthResponse(string Version, string Status);
