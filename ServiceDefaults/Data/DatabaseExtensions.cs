using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LettaPlatform.ServiceDefaults.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TContext"/> on PostgreSQL from <c>ConnectionStrings:{connectionName}</c>
    /// with a retrying execution strategy, a start-up initializer that applies its migrations (or, with
    /// <c>Database:MigrateOnStartup=false</c>, waits for a deploy step to apply them), and a readiness
    /// check named <paramref name="connectionName"/> that stays Unhealthy until they are applied.
    /// Aspire's Npgsql EF Core integration adds its tracing and metrics; the retrying strategy, the outbox
    /// interceptor and the readiness check stay the platform's own.
    /// <paramref name="configure"/> adds what a service needs beyond that (e.g. its own interceptors).
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<IServiceProvider, DbContextOptionsBuilder>? configure = null)
        where TContext : DbContext
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        builder.Services.AddSingleton<DatabaseInitializationState<TContext>>();
        builder.Services.AddSingleton<WakeSignal<OutboxRelay<TContext>>>();
        builder.Services.AddSingleton<OutboxCommitInterceptor<TContext>>();

        builder.Services.AddDbContext<TContext>((services, options) =>
        {
            // Read when the context is built, not at registration, so test hosts can supply it late.
            var connectionString = ServiceConnectionString.Tune(services.GetRequiredService<IConfiguration>().GetConnectionString(connectionName)
                ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured."));

            options.UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure())
                .AddInterceptors(services.GetRequiredService<OutboxCommitInterceptor<TContext>>());
            configure?.Invoke(services, options);
        });

        builder.EnrichNpgsqlDbContext<TContext>(settings =>
        {
            settings.DisableRetry = true;
            settings.DisableHealthChecks = true;
        });

        builder.Services.AddHostedService(services => new ConnectionPoolRelease<TContext>(services.GetRequiredService<IConfiguration>(), connectionName));
        builder.Services.AddHostedService<DatabaseInitializer<TContext>>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>(connectionName, timeout: TimeSpan.FromSeconds(5));

        return builder;
    }
}
