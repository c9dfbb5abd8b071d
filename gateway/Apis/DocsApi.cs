using Scalar.AspNetCore;

namespace LettaPlatform.Gateway.Apis;

/// <summary>
/// API documentation for people: Scalar at <c>/api/docs</c>, listing every service's own OpenAPI
/// document (proxied from the service as <c>/openapi/&lt;service&gt;.json</c>, see the route table)
/// and the gateway's (<c>/openapi/v1.json</c>: the auth routes).
/// </summary>
public static class DocsApi
{
    public const string DocsPath = "/api/docs";

    /// <summary>The services whose documents the route table proxies, with the title Scalar shows.</summary>
    public static readonly IReadOnlyList<(string Service, string Title)> ServiceDocuments =
    [
        ("chat-api", "Chat"),
        ("agent-management-api", "Agents and templates"),
        ("tool-execution-api", "Tools and tasks"),
        ("memory-sync-api", "Memory"),
    ];

    public static IEndpointRouteBuilder MapDocsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi().AllowAnonymous();
        endpoints.MapScalarApiReference(DocsPath, scalar =>
        {
            scalar.Title = "LettaPlatform API";
            foreach (var (service, title) in ServiceDocuments)
            {
                scalar.AddDocument(service, title, isDefault: service == ServiceDocuments[0].Service);
            }

            scalar.AddDocument("v1", "Gateway (auth)");
        }).AllowAnonymous();

        return endpoints;
    }
}
