using System.Runtime.InteropServices;
using Aspire.Hosting.ApplicationModel;
using LettaPlatform.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.AppHost;

/// <summary>
/// <c>infra</c>: only PostgreSQL, Redis and RabbitMQ (with the dashboard), for working on one service from an IDE.
/// <c>infra --keeper &lt;folder&gt;</c>: the process the test fixtures start to share servers across a test run
/// (free ports, no durability, no dashboard; see <see cref="SharedInfrastructure"/>).
/// </summary>
internal static class InfrastructureCommand
{
    public static async Task RunAsync(string[] args)
    {
        if (args is ["--keeper", var stateDirectory, ..])
        {
            using var stop = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Cancel(context, stop));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Cancel(context, stop));
            try
            {
                await SharedInfrastructure.RunKeeperAsync(stateDirectory, StartForTestsAsync, line => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"), stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                Console.WriteLine("stopped by signal");
            }

            return;
        }

        var builder = DistributedApplication.CreateBuilder(PlatformArguments.Prepare(args));
        AddServers(builder);
        await builder.Build().RunAsync();
    }

    private static (IResourceBuilder<IResourceWithConnectionString> Postgres, IResourceBuilder<IResourceWithConnectionString> Redis, IResourceBuilder<IResourceWithConnectionString> Messaging) AddServers(
        IDistributedApplicationBuilder builder) =>
        (builder.AddLocalPostgres("postgres"), builder.AddLocalRedis("redis"), builder.AddLocalRabbitMQ("messaging"));

    /// <summary>
    /// Starts the test servers; a server that fails to start (most often a free port taken by another
    /// process between being chosen and being bound, on a busy machine) is retried with new ports.
    /// </summary>
    private static async Task<RunningInfrastructure> StartForTestsAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceForTestsAsync(Path.Combine(dataDirectory, $"attempt-{attempt}"), cancellationToken);
            }
            catch (DistributedApplicationException ex) when (attempt < attempts)
            {
                Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} attempt {attempt} failed ({ex.Message}); starting again on new ports");
            }
        }
    }

    private static async Task<RunningInfrastructure> StartOnceForTestsAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [$"--DataDirectory={dataDirectory}", "--LocalInfrastructure:Durable=false", "--DcpPublisher:RandomizePorts=true", "--DcpPublisher:WaitForResourceCleanup=true"],
            DisableDashboard = true,
        });
        var (postgres, redis, messaging) = AddServers(builder);
        var app = builder.Build();
        try
        {
            await app.StartAsync(cancellationToken);
            var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
            await Task.WhenAll(
                notifications.WaitForResourceHealthyAsync(postgres.Resource.Name, cancellationToken),
                notifications.WaitForResourceHealthyAsync(redis.Resource.Name, cancellationToken),
                notifications.WaitForResourceHealthyAsync(messaging.Resource.Name, cancellationToken));
        }
        catch
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            throw;
        }

        var endpoints = new InfrastructureEndpoints(
            await postgres.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? "",
            await redis.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? "",
            await messaging.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? "");
        return new RunningInfrastructure(endpoints, app);
    }

    private static void Cancel(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
