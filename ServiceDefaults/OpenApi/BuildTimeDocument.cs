using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LettaPlatform.ServiceDefaults.OpenApi;

/// <summary>
/// <c>dotnet build</c> writes each service's OpenAPI document to <c>docs/openapi/</c>
/// (Microsoft.Extensions.ApiDescription.Server): its GetDocument.Insider tool runs the service's entry
/// point with a server that never listens, starts the host, and asks it for the document. That run has
/// no servers and no settings, and needs the endpoints only. So it gets placeholders for the settings
/// read while the application is put together, starts none of the service's background work
/// (migrations, the bus, the outbox relay, workers, health publishing) and validates no options at start.
/// </summary>
internal static class BuildTimeDocument
{
    private const string GeneratorAssembly = "GetDocument.Insider";

    /// <summary>True in the process that writes the document at build time.</summary>
    public static bool IsGenerating { get; } = Assembly.GetEntryAssembly()?.GetName().Name == GeneratorAssembly;

    // The health checks read the broker's and Letta's settings, the gateway's page headers the signing key, and
    // the idempotency filter creates the Redis client, which tries to connect once. Port 1 on the loopback
    // answers nothing, and a short connect timeout keeps that try from costing seconds.
    private static readonly Dictionary<string, string?> Placeholders = new()
    {
        ["ConnectionStrings:messaging"] = "amqp://127.0.0.1:1/",
        ["ConnectionStrings:redis"] = "127.0.0.1:1,connectTimeout=100",
        ["ConnectionStrings:letta"] = "Endpoint=http://127.0.0.1:1",
        ["Auth:DevSigningKey"] = "build-time-openapi-document-placeholder-key",
    };

    internal static void Prepare(IHostApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(Placeholders);
        builder.ConfigureContainer(new WithoutStartupWork());
    }

    /// <summary>Builds the container from every registration except the background work and the start-up validation.</summary>
    private sealed class WithoutStartupWork : IServiceProviderFactory<IServiceCollection>
    {
        // The web host's own hosted service builds the request pipeline and starts the server that never listens.
        private static readonly Assembly WebHost = typeof(Microsoft.AspNetCore.Hosting.WebHostBuilderExtensions).Assembly;

        public IServiceCollection CreateBuilder(IServiceCollection services)
        {
            var startupWork = services.Where(d =>
                    (d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Assembly != WebHost)
                    || d.ServiceType == typeof(IStartupValidator))
                .ToList();
            foreach (var descriptor in startupWork)
            {
                services.Remove(descriptor);
            }

            return services;
        }

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) => containerBuilder.BuildServiceProvider();
    }
}
