using System.Data.Common;
using System.Net.Http.Headers;
using Aspire.Hosting.ApplicationModel;
using LettaPlatform.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LettaPlatform.AppHost;

/// <summary>A Letta server the services reach through <c>ConnectionStrings__letta</c> (<c>Endpoint=…;Key=…;Project=…</c>).</summary>
internal sealed class LettaResource(string name, ReferenceExpression connectionString) : Resource(name), IResourceWithConnectionString
{
    public ReferenceExpression ConnectionStringExpression => connectionString;
}

internal static class Letta
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>
    /// Letta: the server of <c>ConnectionStrings:letta</c> when one is configured (Letta Cloud, a self-hosted
    /// server), otherwise LettaDev (<c>letta-dev</c>, password <c>LettaDev:Password</c> when set). Every
    /// instance named in <c>Letta:Instances:&lt;name&gt;</c> is shown too, each healthy when its
    /// <c>/v1/health/</c> answers.
    /// </summary>
    public static IResourceBuilder<LettaResource> AddLetta(this IDistributedApplicationBuilder builder, string name)
    {
        foreach (var instance in builder.Configuration.GetSection("Letta:Instances").GetChildren())
        {
            if (instance["Endpoint"] is { Length: > 0 } endpoint)
            {
                var key = instance["ApiKey"] ?? instance["Password"];
                var connection = $"Endpoint={endpoint}" + (string.IsNullOrEmpty(key) ? "" : $";Key={key}");
                Add(builder, new LettaResource($"{name}-{instance.Key.ToLowerInvariant()}", ReferenceExpression.Create($"{connection}")));
            }
        }

        if (ExternalServer.Configured(builder, name) is { } external)
        {
            return Add(builder, new LettaResource(name, ReferenceExpression.Create($"{external}")));
        }

        // Not behind Aspire's proxy: a stopped LettaDev must refuse connections at once, as a Letta that is down
        // does, rather than leave clients waiting on a proxy with nothing behind it.
        var port = FreePort.Next();
        var lettaDev = builder.AddProject<Projects.LettaDev>($"{name}-dev", launchProfileName: null)
            .WithHttpEndpoint(port: port, targetPort: port, isProxied: false)
            .WithHttpHealthCheck("/v1/health/")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName);
        var password = builder.Configuration["LettaDev:Password"];
        if (!string.IsNullOrEmpty(password))
        {
            lettaDev.WithEnvironment("LettaDev__Password", password);
        }

        var endpointReference = lettaDev.GetEndpoint("http");
        var connectionString = string.IsNullOrEmpty(password)
            ? ReferenceExpression.Create($"Endpoint={endpointReference}")
            : ReferenceExpression.Create($"Endpoint={endpointReference};Key={password}");
        return Add(builder, new LettaResource(name, connectionString)).WithParentRelationship(lettaDev);
    }

    private static IResourceBuilder<LettaResource> Add(IDistributedApplicationBuilder builder, LettaResource letta)
    {
        var check = $"{letta.Name}-health";
        builder.Services.AddHealthChecks().AddAsyncCheck(check, async cancellationToken =>
        {
            var connection = new DbConnectionStringBuilder { ConnectionString = await letta.ConnectionStringExpression.GetValueAsync(cancellationToken) };
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{((string)connection["Endpoint"]).TrimEnd('/')}/v1/health/");
            if (connection.TryGetValue("Key", out var key))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)key);
            }

            try
            {
                using var response = await Http.SendAsync(request, cancellationToken);
                return response.IsSuccessStatusCode
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy($"Letta answered {(int)response.StatusCode} to /v1/health/.");
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy("Letta cannot be reached.");
            }
        });
        return ExternalServer.Add(builder, letta, check, "Letta").WithIconName("Bot");
    }
}
