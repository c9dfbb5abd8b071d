using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LettaPlatform.Letta.Tests;

public sealed class LettaHeadersTests : IAsyncLifetime
{
    private ScriptedLettaServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await ScriptedLettaServer.StartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task CloudInstance_AnyCall_SendsBearerKeyAndProject()
    {
        using var host = new LettaClientHost(new Dictionary<string, string?>
        {
            ["Letta:Instances:cloud:Endpoint"] = _server.Endpoint.ToString(),
            ["Letta:Instances:cloud:ApiKey"] = "sk-let-cloud",
            ["Letta:Instances:cloud:Project"] = "team-project",
        });

        await host.Factory.CreateClient("cloud").GetHealthAsync(TestContext.Current.CancellationToken);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/health/", request.PathAndQuery);
        Assert.Equal("Bearer sk-let-cloud", request.Headers["Authorization"]);
        Assert.Equal("team-project", request.Headers["X-Project"]);
    }

    [Fact]
    public async Task SelfHostedInstance_AnyCall_SendsBearerPasswordAndNoProject()
    {
        using var host = new LettaClientHost(new Dictionary<string, string?>
        {
            ["Letta:Instances:local:Endpoint"] = _server.Endpoint.ToString(),
            ["Letta:Instances:local:Password"] = "server-password",
        });

        await host.Factory.CreateClient("local").GetReadinessAsync(TestContext.Current.CancellationToken);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/ready/", request.PathAndQuery);
        Assert.Equal("Bearer server-password", request.Headers["Authorization"]);
        Assert.False(request.Headers.ContainsKey("X-Project"));
    }

    [Fact]
    public async Task InstanceWithoutCredentials_AnyCall_SendsNoAuthorization()
    {
        using var host = new LettaClientHost(new Dictionary<string, string?> { ["ConnectionStrings:letta"] = $"Endpoint={_server.Endpoint}" });

        await host.Client.GetHealthAsync(TestContext.Current.CancellationToken);

        Assert.False(Assert.Single(_server.Requests).Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task UserAgentWithSlashFromDefaults_AnyCall_IsStrippedAndSdkMarkerSent()
    {
        using var host = LettaClientHost.For(_server.Endpoint, configureServices: services =>
            services.ConfigureHttpClientDefaults(http => http.ConfigureHttpClient(c => c.DefaultRequestHeaders.UserAgent.ParseAdd("MyApp/2.0"))));

        await host.Client.GetHealthAsync(TestContext.Current.CancellationToken);
        await foreach (var _ in host.Client.StreamMessageAsync("agent-1", new LettaMessageRequest { Messages = [LettaInput.User("hi")] }, cancellationToken: TestContext.Current.CancellationToken).WithCancellation(TestContext.Current.CancellationToken))
        {
        }

        Assert.Equal(2, _server.Requests.Count);
        Assert.All(_server.Requests, request =>
        {
            Assert.False(request.Headers.TryGetValue("User-Agent", out var agent) && agent.Contains('/'), $"User-Agent was {agent}");
            Assert.Equal("1.0.0", request.Headers["X-Stainless-Package-Version"]);
        });
    }

    [Fact]
    public async Task HealthCheck_ServerUpThenDown_ReportsHealthyThenUnhealthy()
    {
        using var host = LettaClientHost.For(_server.Endpoint, new() { ["Letta:Resilience:MaxRetryAttempts"] = "0" });
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var up = await health.CheckHealthAsync(TestContext.Current.CancellationToken);
        _server.Handler = context => ScriptedLettaServer.Json(context, 503, """{"detail":"database unavailable"}""");
        var down = await health.CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, up.Entries["letta-letta"].Status);
        Assert.Equal("0.16.8", up.Entries["letta-letta"].Data["version"]);
        Assert.Equal(HealthStatus.Unhealthy, down.Entries["letta-letta"].Status);
        Assert.Contains("database unavailable", down.Entries["letta-letta"].Description);
    }
}
