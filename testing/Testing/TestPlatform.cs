using System.Data.Common;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace LettaPlatform.Testing;

/// <summary>
/// The whole platform, started from its Aspire AppHost through Aspire.Hosting.Testing (the topology
/// <c>dotnet run --project AppHost</c> starts), with every port free. Reference the AppHost project from the
/// test project and pass its <c>Projects.AppHost</c> type. Dispose it to stop everything it started.
/// </summary>
public sealed class TestPlatform : IAsyncDisposable
{
    private readonly DistributedApplication _app;

    private TestPlatform(DistributedApplication app, PlatformConnection connection)
    {
        _app = app;
        Connection = connection;
    }

    /// <summary>Where the platform is; hand it to <see cref="AgentTestKit"/>.</summary>
    public PlatformConnection Connection { get; }

    /// <summary>The running AppHost, for what the kit does not wrap (resource states, logs, commands).</summary>
    public DistributedApplication App => _app;

    /// <summary>
    /// Starts the AppHost <typeparamref name="TAppHost"/> with <paramref name="arguments"/> (its configuration, such
    /// as <c>--DataDirectory=…</c> or <c>--Replicas:chat-api=2</c>) and waits until the gateway is healthy.
    /// </summary>
    public static async Task<TestPlatform> StartAsync<TAppHost>(IEnumerable<string>? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where TAppHost : class
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<TAppHost>(
            [.. arguments ?? []], (options, _) => options.DisableDashboard = true, cancellationToken);
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            // Aspire points telemetry at the dashboard, which is not running: export nothing rather than retry.
            builder.CreateResourceBuilder(project).WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
        }

        var app = await builder.BuildAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromMinutes(10));
        try
        {
            await app.StartAsync(deadline.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", deadline.Token);
            return new TestPlatform(app, await ConnectionOfAsync(app, deadline.Token));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The platform's gateway and Letta (from its <c>letta</c> connection string) as a <see cref="PlatformConnection"/>.</summary>
    public static async Task<PlatformConnection> ConnectionOfAsync(DistributedApplication app, CancellationToken cancellationToken = default)
    {
        var letta = await app.GetConnectionStringAsync("letta", cancellationToken)
            ?? throw new InvalidOperationException("The platform has no 'letta' connection string.");
        var parts = new DbConnectionStringBuilder { ConnectionString = letta };
        return new PlatformConnection(
            app.GetEndpoint("gateway", "http"),
            new Uri((string)parts["Endpoint"]),
            parts.TryGetValue("Key", out var key) ? (string)key : null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
