using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Diagnostics;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using LettaPlatform.ServiceDefaults.OpenApi;
using LettaPlatform.ServiceDefaults.Problems;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LettaPlatform.ServiceDefaults;

/// <summary>
/// What every service and the gateway share: telemetry, health, discovery, resilience, problem
/// details and authentication. Data, cache and messaging are opt-in one-liners next to it
/// (<c>AddServiceDatabase</c>, <c>AddRedis</c>, <c>AddMessaging</c>).
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (BuildTimeDocument.IsGenerating)
        {
            BuildTimeDocument.Prepare(builder);
        }

        var identity = ServiceIdentity.FromConfiguration(builder.Configuration, builder.Environment);
        builder.Services.TryAddSingleton(identity);

        builder.ConfigureOpenTelemetry(identity);
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProblemDefaults();
        builder.AddDefaultAuthentication();

        return builder;
    }

    private static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder, ServiceIdentity identity) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(identity.Name, serviceInstanceId: identity.Instance))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", HealthMetrics.MeterName, OutboxMetrics.MeterName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("MassTransit")
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    // Probes arrive every few seconds; tracing them would drown the real requests.
                    aspNetCore.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Adds a service's own <see cref="System.Diagnostics.Metrics.Meter"/> names to the exported metrics.</summary>
    public static TBuilder AddMeters<TBuilder>(this TBuilder builder, params string[] meterNames) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(meterNames));
        return builder;
    }

    /// <summary>Adds a service's own <see cref="System.Diagnostics.ActivitySource"/> names to the exported traces.</summary>
    public static TBuilder AddActivitySources<TBuilder>(this TBuilder builder, params string[] sourceNames) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(sourceNames));
        return builder;
    }

    private static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddSingleton<IHealthCheckPublisher, HealthMetrics>();

        return builder;
    }

    /// <summary>
    /// Error handling (RFC 9457 problem details for exceptions and empty error responses),
    /// <c>/health</c> (every registered check, JSON), <c>/alive</c> (the process only) and
    /// <c>GET /diagnostics/ping/{service}</c> when messaging is registered.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<UnstorableTextMiddleware>();

        // A request that may be replayed (Idempotency-Key) keeps its body readable for the fingerprint.
        app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey(Idempotency.IdempotencyFilter.HeaderName))
            {
                context.Request.EnableBuffering();
            }

            return next(context);
        });

        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        if (app.Services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(IBus)))
        {
            app.MapDiagnosticsApi();
        }

        return app;
    }

}
