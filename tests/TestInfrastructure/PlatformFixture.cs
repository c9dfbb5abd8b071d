using System.Collections.Concurrent;
using System.Data.Common;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using LettaPlatform.Hosting;
using LettaPlatform.ServiceDefaults.Auth;
using Xunit;

namespace LettaPlatform.TestInfrastructure;

/// <summary>
/// The whole platform, started from the real AppHost through Aspire.Hosting.Testing — the same topology a
/// developer starts with <c>dotnet run --project AppHost</c> — with its own PostgreSQL, Redis, RabbitMQ and
/// LettaDev in a throw-away data folder, every port free. tool-execution talks to <see cref="GitHub"/>, a
/// local GitHub stand-in started first, so every platform test can connect GitHub without reaching the
/// internet. The platform also trusts <see cref="IdentityProvider"/>, a real OpenID Connect provider started
/// first, beside the gateway's development tokens, and the web page is its registered client
/// <see cref="WebClientId"/>. A subclass adds AppHost arguments through <see cref="PlatformArguments"/>
/// (replicas, say) or turns the Aspire dashboard on with <see cref="WithDashboard"/>.
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "lettaplatform-e2e", Guid.NewGuid().ToString("N")[..12]);
    private readonly ConcurrentDictionary<string, ResourceEvent> states = new();
    private readonly CancellationTokenSource stopping = new();
    private DistributedApplication? app;
    private ResourceLogRecorder? logs;

    /// <summary>The running AppHost: resources, their states and commands (<c>App.ResourceNotifications</c>, <c>App.ResourceCommands</c>).</summary>
    public DistributedApplication App => app ?? throw new InvalidOperationException("The platform has not been started.");

    public Uri GatewayUrl => ServiceUrl("gateway");

    /// <summary>The GitHub the platform's tool-execution calls: tokens are added here, and it records the pull requests created.</summary>
    public FakeGitHub GitHub { get; } = new();

    /// <summary>The OIDC provider the platform trusts; add people with <see cref="TestIdentityProvider.AddUser"/>.</summary>
    public TestIdentityProvider IdentityProvider { get; } = new();

    /// <summary>The web page's client id at <see cref="IdentityProvider"/> (redirect URI: the gateway's root).</summary>
    public string WebClientId => "lettaplatform-web";

    /// <summary>The provider's name on the page's sign-in button.</summary>
    public string IdentityProviderName => "Test identity provider";

    /// <summary>With <see cref="WithDashboard"/>: the dashboard's login URL (with its browser token).</summary>
    public Uri? DashboardLoginUrl { get; private set; }

    /// <summary>
    /// A resource's HTTP address as Aspire allocated it (<c>gateway</c>, <c>chat-api</c>, …); for <c>letta</c>, the
    /// endpoint its connection string names.
    /// </summary>
    public Uri ServiceUrl(string name) => name == "letta" ? LettaEndpoint().Endpoint : App.GetEndpoint(name, "http");

    /// <summary>A client of the gateway without a token.</summary>
    public HttpClient CreateGatewayClient() => new() { BaseAddress = GatewayUrl, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A client of the gateway signed in as <paramref name="userId"/> with a dev token the gateway issued.</summary>
    public async Task<HttpClient> CreateUserClientAsync(string userId, CancellationToken cancellationToken = default)
    {
        var client = CreateGatewayClient();
        using var response = await client.PostAsJsonAsync("/api/auth/dev-token", new { userId }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>
    /// A client of the gateway signed in through <see cref="IdentityProvider"/> (code flow with PKCE, as
    /// the web page does) as <paramref name="userName"/>, who must have been added with that password.
    /// </summary>
    public async Task<HttpClient> CreateSignedInClientAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        var token = await IdentityProvider.SignInAsync(WebClientId, new Uri(GatewayUrl, "/"), userName, password, cancellationToken);
        var client = CreateGatewayClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// A client of <paramref name="baseAddress"/> (the gateway unless given) as an operator: a dev token with the
    /// admin role, signed with the key the AppHost keeps in its data folder.
    /// </summary>
    public HttpClient CreateAdminClient(Uri? baseAddress = null)
    {
        var client = new HttpClient { BaseAddress = baseAddress ?? GatewayUrl, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CreateAdminToken());
        return client;
    }

    /// <summary>An operator's access token (the admin role), signed with the key the AppHost keeps in its data folder.</summary>
    public string CreateAdminToken() =>
        new DevTokenIssuer(File.ReadAllText(Path.Combine(dataDirectory, "dev-signing-key")).Trim())
            .CreateToken($"operator-{Guid.NewGuid():N}"[..20], "Operator", ["admin"]).AccessToken;

    /// <summary>A client of the platform's LettaDev itself (its /v1 API and /_dev hooks), with the key from its connection string.</summary>
    public HttpClient CreateLettaClient()
    {
        var (endpoint, key) = LettaEndpoint();
        var client = new HttpClient { BaseAddress = endpoint };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Queues model steps (a JSON array, see LettaDev's README) for a Letta agent, through LettaDev's test hook.</summary>
    public async Task ScriptLettaAgentAsync(string lettaAgentId, string stepsJson, CancellationToken cancellationToken = default)
    {
        using var letta = CreateLettaClient();
        using var response = await letta.PutAsync($"/_dev/agents/{lettaAgentId}/script",
            new StringContent($$"""{"steps":{{stepsJson}}}""", Encoding.UTF8, "application/json"), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The direct address of each replica of a service (not Aspire's proxy in front of them), read from the
    /// URL each replica was told to listen on.
    /// </summary>
    public IReadOnlyList<Uri> ReplicaUrls(string resourceName) =>
        [.. Replicas(resourceName).Select(replica =>
            replica.Snapshot.EnvironmentVariables.FirstOrDefault(variable => variable.Name == "ASPNETCORE_URLS")?.Value is { } urls
                ? new Uri(urls.Split(';')[0])
                : throw new InvalidOperationException($"Replica {replica.ResourceId} of {resourceName} has no URL yet."))];

    /// <summary>Runs a resource command (as an operator would from the dashboard) on every replica of a resource.</summary>
    public Task<ExecuteCommandResult> ExecuteCommandAsync(string resourceName, string commandName, CancellationToken cancellationToken = default) =>
        App.ResourceCommands.ExecuteCommandAsync(
            App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(resource => resource.Name == resourceName), commandName, cancellationToken);

    /// <summary>The latest state of each replica of a resource (one for a resource without replicas).</summary>
    public IReadOnlyList<ResourceEvent> Replicas(string resourceName) =>
        [.. states.Values.Where(state => state.Resource.Name == resourceName).OrderBy(state => state.ResourceId, StringComparer.Ordinal)];

    /// <summary>Arguments for the AppHost (Aspire configuration), e.g. <c>--Replicas:chat-api=2</c>.</summary>
    protected virtual IEnumerable<string> PlatformArguments() => [];

    /// <summary>Run the Aspire dashboard too (on free ports, with a known browser token).</summary>
    protected virtual bool WithDashboard => false;

    public virtual async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(dataDirectory);
        await GitHub.StartAsync();
        await IdentityProvider.StartAsync();
        List<string> arguments =
        [
            $"--DataDirectory={dataDirectory}",
            // Resource logs reach the test output: only what went wrong.
            "--Logging:LogLevel:Default=Warning",
            "--LocalInfrastructure:Durable=false",
            // Servers of its own, not ones a developer configured for the shell running the tests.
            "--ConnectionStrings:postgres=", "--ConnectionStrings:redis=", "--ConnectionStrings:messaging=", "--ConnectionStrings:letta=",
            $"--GitHub:ApiBaseUrl={GitHub.BaseUrl}",
            $"--Auth:Authority={IdentityProvider.Authority}",
            $"--Auth:Audience={TestIdentityProvider.Audience}",
            "--Auth:RequireHttpsMetadata=false",
            $"--WebSignIn:ClientId={WebClientId}",
            $"--WebSignIn:Scope=openid profile offline_access {TestIdentityProvider.ApiScope}",
            $"--WebSignIn:ProviderName={IdentityProviderName}",
        ];
        string? browserToken = null;
        if (WithDashboard)
        {
            browserToken = Guid.NewGuid().ToString("N");
            var dashboardPort = FreePort.Next();
            arguments.AddRange(
            [
                $"--ASPNETCORE_URLS=http://127.0.0.1:{dashboardPort}",
                $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
                $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
                "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
                $"--ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN={browserToken}",
            ]);
        }

        arguments.AddRange(PlatformArguments());
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [.. arguments], (options, _) => options.DisableDashboard = !WithDashboard);
        if (!WithDashboard)
        {
            // Aspire points telemetry at a dashboard that is not running: export nothing rather than retry for ever.
            foreach (var project in builder.Resources.OfType<ProjectResource>())
            {
                builder.CreateResourceBuilder(project).WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
            }
        }

        app = await builder.BuildAsync();
        logs = new ResourceLogRecorder(app.Services.GetRequiredService<ResourceLoggerService>(), GetType().Name, stopping.Token);
        _ = Task.Run(async () =>
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(stopping.Token))
            {
                states[update.ResourceId] = update;
                logs.Watch(update.ResourceId);
            }
        });
        using var timeout = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(timeout.Token);
        try
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new InvalidOperationException($"The platform was not healthy within {StartTimeout}: {DescribeResources()}");
        }

        if (browserToken is not null)
        {
            // The dashboard's endpoints are proxied, and the testing builder randomizes proxied ports:
            // the address a browser opens is the one DCP allocated, not the one configured.
            DashboardLoginUrl = new Uri(app.GetEndpoint("aspire-dashboard", "http"), $"/login?t={browserToken}");
        }

        await IdentityProvider.AddWebClientAsync(WebClientId, new Uri(GatewayUrl, "/"));
        await WarmUpAsync(timeout.Token);
    }

    /// <summary>
    /// One person's first use of each agent template and one turn, before any test runs. Healthy means every service
    /// answers, not that its first requests are fast: on a loaded machine a cold agent-management can take longer over
    /// its first provisioning (JIT, first connections, LettaDev's first agent) than chat-api waits for it, which chat-api
    /// rightly answers 503 with Retry-After. A client retries that; so does the warm-up, so the tests start on a platform
    /// that has served every path once.
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        using var client = await CreateUserClientAsync($"warm-up-{Guid.NewGuid():N}", cancellationToken);
        string? sessionId = null;
        foreach (var templateId in new[] { "code-assistant", "task-manager", "documentation" })
        {
            using var created = await SendUntilAnsweredAsync(
                () => client.PostAsJsonAsync("/api/chat/sessions", new { templateId }, cancellationToken), cancellationToken);
            sessionId ??= (await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString();
        }

        using var turn = await SendUntilAnsweredAsync(
            () => client.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = "hello" }, cancellationToken), cancellationToken);
    }

    private static async Task<HttpResponseMessage> SendUntilAnsweredAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        while (true)
        {
            var response = await send();
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable)
            {
                response.Dispose();
                throw new InvalidOperationException($"The platform's warm-up was answered {(int)response.StatusCode}: {body}");
            }

            var retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(retryAfter, cancellationToken);
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await stopping.CancelAsync();
            await app.StopAsync();
            await app.DisposeAsync();
        }

        logs?.Dispose();

        await GitHub.DisposeAsync();
        await IdentityProvider.DisposeAsync();

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A server may still be flushing a file for a moment; the folder is in /tmp either way.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Each resource's state and health, for a failure message.</summary>
    public string DescribeResources() =>
        string.Join("; ", states.Values.OrderBy(state => state.ResourceId, StringComparer.Ordinal)
            .Select(state => $"{state.ResourceId}: {state.Snapshot.State?.Text ?? "?"}/{state.Snapshot.HealthStatus?.ToString() ?? "-"}"));

    private (Uri Endpoint, string? Key) LettaEndpoint()
    {
        var connectionString = App.GetConnectionStringAsync("letta").AsTask().GetAwaiter().GetResult()
            ?? throw new InvalidOperationException("The platform has no Letta connection string.");
        var connection = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return (new Uri((string)connection["Endpoint"]), connection.TryGetValue("Key", out var key) ? (string)key : null);
    }
}
