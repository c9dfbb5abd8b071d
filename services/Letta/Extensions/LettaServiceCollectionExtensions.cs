using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Letta;

public static class LettaServiceCollectionExtensions
{
    public const string HttpClientName = "letta";
    public const string StreamingHttpClientName = "letta-streaming";

    /// <summary>
    /// Registers <see cref="ILettaClientFactory"/>, the options (validated at start-up), the two HTTP
    /// clients and a health check <c>letta-&lt;name&gt;</c> per instance.
    /// </summary>
    public static TBuilder AddLettaClients<TBuilder>(this TBuilder builder, Action<LettaOptions>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddLettaClients(configure);
        return builder;
    }

    // RemoveAllResilienceHandlers is marked experimental; it is what takes the service-wide standard
    // handler (10 s / 30 s timeouts) off these clients.
#pragma warning disable EXTEXP0001
    public static IServiceCollection AddLettaClients(this IServiceCollection services, Action<LettaOptions>? configure = null)
    {
        if (services.Any(d => d.ServiceType == typeof(ILettaClientFactory)))
        {
            if (configure is not null)
            {
                services.Configure(configure);
            }
            return services;
        }

        var optionsBuilder = services.AddOptions<LettaOptions>()
            .BindConfiguration(LettaOptions.SectionName)
            .Configure<IConfiguration>(static (options, configuration) =>
            {
                var connectionString = configuration.GetConnectionString(LettaOptions.ConnectionStringName);
                if (!string.IsNullOrWhiteSpace(connectionString) && !options.Instances.ContainsKey(LettaOptions.ConnectionStringName))
                {
                    options.Instances[LettaOptions.ConnectionStringName] = LettaConnectionString.Parse(connectionString);
                }
            });
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }
        optionsBuilder.ValidateOnStart();
        services.AddSingleton<IValidateOptions<LettaOptions>, LettaOptionsValidator>();

        services.AddTransient<LettaHeadersHandler>();
        services.AddSingleton<ILettaClientFactory, LettaClientFactory>();

        // Ordinary calls: a total timeout, retries, a circuit breaker per instance (pipelines are keyed by
        // authority) and a per-attempt timeout. HttpClient's own 100 s timeout would cut the retries short.
        services.AddHttpClient(HttpClientName, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("letta", static (pipeline, context) =>
                LettaResilience.Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<LettaOptions>>().Value.Resilience, attemptTimeout: true))
            .SelectPipelineByAuthority();
        services.AddHttpClient(HttpClientName).AddHttpMessageHandler<LettaHeadersHandler>().RedactLoggedHeaders(["Authorization"]);

        // Streams and whole-turn sends run for minutes: no HttpClient timeout and no attempt timeout; the
        // SSE reader's idle watchdog and the caller's token bound them instead.
        services.AddHttpClient(StreamingHttpClientName, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("letta-streaming", static (pipeline, context) =>
                LettaResilience.Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<LettaOptions>>().Value.Resilience, attemptTimeout: false))
            .SelectPipelineByAuthority();
        services.AddHttpClient(StreamingHttpClientName).AddHttpMessageHandler<LettaHeadersHandler>().RedactLoggedHeaders(["Authorization"]);

        services.AddHealthChecks();
        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptionsMonitor<LettaOptions>>(static (health, letta) =>
        {
            foreach (var name in letta.CurrentValue.Instances.Keys)
            {
                var registrationName = $"letta-{name}";
                if (health.Registrations.Any(r => r.Name == registrationName))
                {
                    continue;
                }
                health.Registrations.Add(new HealthCheckRegistration(
                    registrationName,
                    sp => new LettaHealthCheck(sp.GetRequiredService<ILettaClientFactory>(), name),
                    HealthStatus.Unhealthy,
                    ["ready", "letta"],
                    TimeSpan.FromSeconds(10)));
            }
        });
        return services;
    }
#pragma warning restore EXTEXP0001
}
