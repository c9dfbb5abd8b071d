using Aspire.Hosting.ApplicationModel;
using LettaPlatform.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LettaPlatform.AppHost;

/// <summary>How the platform's own projects run under the AppHost.</summary>
internal static class Services
{
    /// <summary>
    /// A service of the platform: HTTP on a port Aspire picks (or <paramref name="port"/>), healthy when
    /// <c>/health</c> answers 200, <c>Replicas:&lt;name&gt;</c> instances, in the AppHost's environment
    /// (Development by default), trusting the dev tokens signed with the data folder's key.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(this IDistributedApplicationBuilder builder, string name, int? port = null)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint(port: port)
            .WithHttpHealthCheck("/health")
            .WithReplicas(builder.Configuration.GetValue($"Replicas:{name}", 1))
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithEnvironment("Auth__DevSigningKey", builder.DevSigningKey())
            .WithForwardedSettings(builder);

    /// <summary>The HS256 key the gateway's dev tokens are signed with, kept in the data folder.</summary>
    public static string DevSigningKey(this IDistributedApplicationBuilder builder) => builder.Secret("dev-signing-key", bytes: 32);

    /// <summary>The gateway's links on the dashboard, and its URL in the console once it is up.</summary>
    public static IResourceBuilder<ProjectResource> WithWebChatLinks(this IResourceBuilder<ProjectResource> gateway)
    {
        var http = gateway.GetEndpoint("http");
        gateway.WithUrlForEndpoint("http", url => url.DisplayText = "Web chat")
            .WithUrl(ReferenceExpression.Create($"{http}/api/docs"), "API docs");
        gateway.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(gateway.Resource, (@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LettaPlatform")
                .LogInformation("Web chat: {Url}  ·  API docs: {Url}/api/docs", http.Url, http.Url);
            return Task.CompletedTask;
        });
        return gateway;
    }

    /// <summary>
    /// Settings a developer gives the AppHost for every service (the sections in <see cref="ForwardedSections"/>, e.g. <c>GitHub__*</c>, <c>Auth__*</c>,
    /// <c>WebSignIn__*</c>, <c>Letta__Instances__*</c>, <c>LettaPlatform__*</c>) reach each service as
    /// environment variables.
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithForwardedSettings(this IResourceBuilder<ProjectResource> project, IDistributedApplicationBuilder builder) =>
        project.WithEnvironment(context =>
        {
            foreach (var section in ForwardedSections)
            {
                foreach (var (key, value) in builder.Configuration.GetSection(section).AsEnumerable())
                {
                    if (value is not null)
                    {
                        context.EnvironmentVariables[key.Replace(":", "__")] = value;
                    }
                }
            }
        });

    private static readonly string[] ForwardedSections =
        ["GitHub", "Auth", "WebSignIn", "Letta", "Outbox", "RateLimiting", "Chat", "AgentManagement", "AgentModels", "ToolExecution", "MemorySync"];
}
