using System.Collections.Concurrent;
using System.Data.Common;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using LettaPlatform.Hosting;
using Xunit;

namespace LettaPlatform.TestInfrastructure;

/// <summary>
/// The whole platform, started by running the AppHost itself as a process — the same binary and
/// topology a developer starts with <c>dotnet run --project AppHost</c> — with its own PostgreSQL,
/// Redis, RabbitMQ and LettaDev in a temporary folder and every port free. The AppHost writes a
/// state file once every resource is healthy; that file is how the fixture finds the gateway and
/// each service. tool-execution talks to <see cref="GitHub"/>, a local GitHub stand-in started first, so
/// every platform test can connect GitHub without reaching the internet. The platform also trusts
/// <see cref="IdentityProvider"/>, a real OpenID Connect provider started first, beside the gateway's
/// development tokens (as a developer trying an identity provider runs it), and the web page is its
/// registered client <see cref="WebClientId"/>. Extra environment for the platform is given by a
/// subclass through <see cref="PlatformEnvironment"/>.
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private readonly ConcurrentQueue<string> log = new();
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "lettaplatform-e2e", Guid.NewGuid().ToString("N")[..12]);
    private ChildProcess? appHost;
    private Dictionary<string, PlatformResource> resources = [];

    public Uri GatewayUrl => ServiceUrl("gateway");

    /// <summary>The GitHub the platform's tool-execution calls: tokens are added here, and it records the pull requests created.</summary>
    public FakeGitHub GitHub { get; } = new();

    /// <summary>The OIDC provider the platform trusts; add people with <see cref="TestIdentityProvider.AddUser"/>.</summary>
    public TestIdentityProvider IdentityProvider { get; } = new();

    /// <summary>The web page's client id at <see cref="IdentityProvider"/> (redirect URI: the gateway's root).</summary>
    public string WebClientId => "lettaplatform-web";

    /// <summary>The provider's name on the page's sign-in button.</summary>
    public string IdentityProviderName => "Test identity provider";

    /// <summary>The platform's resources by name (<c>chat-api</c>, <c>letta</c>, <c>postgres</c>, …) as the AppHost reported them.</summary>
    public IReadOnlyDictionary<string, PlatformResource> Resources => resources;

    /// <summary>The AppHost's own output (with every resource's prefixed log lines), for diagnosing a failure.</summary>
    public IEnumerable<string> Log => log;

    public Uri ServiceUrl(string name) =>
        resources.TryGetValue(name, out var resource) && resource.Url is { } url
            ? new Uri(url)
            : throw new InvalidOperationException($"The platform has no resource '{name}' with a URL.");

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

    /// <summary>A client of the platform's LettaDev itself (its /v1 API and /_dev hooks), with the key from its connection string.</summary>
    public HttpClient CreateLettaClient()
    {
        var connection = new DbConnectionStringBuilder { ConnectionString = Resources["letta"].ConnectionString };
        var client = new HttpClient { BaseAddress = new Uri((string)connection["Endpoint"]) };
        if (connection.TryGetValue("Key", out var key))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)key);
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

    /// <summary>Environment variables for the AppHost, which every resource it starts inherits.</summary>
    protected virtual IReadOnlyDictionary<string, string?> PlatformEnvironment() => new Dictionary<string, string?>();

    public virtual async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(dataDirectory);
        var stateFile = Path.Combine(dataDirectory, "state.json");
        await GitHub.StartAsync();
        await IdentityProvider.StartAsync();
        var environment = new Dictionary<string, string?>(PlatformEnvironment())
        {
            // Servers of its own, not ones a developer configured for the shell running the tests.
            ["ConnectionStrings__postgres"] = null,
            ["ConnectionStrings__redis"] = null,
            ["ConnectionStrings__messaging"] = null,
            ["ConnectionStrings__letta"] = null,
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["GitHub__ApiBaseUrl"] = GitHub.BaseUrl,
            ["Auth__Authority"] = IdentityProvider.Authority,
            ["Auth__Audience"] = TestIdentityProvider.Audience,
            ["Auth__RequireHttpsMetadata"] = "false",
            ["WebSignIn__ClientId"] = WebClientId,
            ["WebSignIn__Scope"] = $"openid profile offline_access {TestIdentityProvider.ApiScope}",
            ["WebSignIn__ProviderName"] = IdentityProviderName,
        };
        appHost = await ChildProcess.StartAsync(
            new ProcessSpec("dotnet", [AppHostAssembly(), "--no-build", "--free-ports", "--data", dataDirectory, "--state-file", stateFile])
            {
                WorkingDirectory = Path.GetDirectoryName(AppHostAssembly()),
                Environment = environment,
            },
            line => log.Enqueue(line));

        using var timeout = new CancellationTokenSource(StartTimeout);
        while (!File.Exists(stateFile))
        {
            if (appHost.HasExited || timeout.IsCancellationRequested)
            {
                var why = appHost.HasExited ? $"exited with code {await appHost.Exited}" : $"was not ready within {StartTimeout}";
                throw new InvalidOperationException($"The AppHost {why}. Its last output:\n{string.Join('\n', log.TakeLast(80))}");
            }

            await Task.Delay(250, CancellationToken.None);
        }

        var state = JsonSerializer.Deserialize<PlatformState>(await File.ReadAllTextAsync(stateFile), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("The AppHost wrote an empty state file.");
        resources = state.Resources.ToDictionary(resource => resource.Name);
        await IdentityProvider.AddWebClientAsync(WebClientId, new Uri(GatewayUrl, "/"));
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (appHost is not null)
        {
            // SIGTERM: the AppHost stops every resource in order, as on Ctrl+C.
            await appHost.StopAsync(signal: 15, TimeSpan.FromSeconds(60));
            await appHost.DisposeAsync();
        }

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

    private static string AppHostAssembly() =>
        typeof(PlatformFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "KeeperAssembly").Value!;

    private sealed record PlatformState(IReadOnlyList<PlatformResource> Resources);
}

public sealed record PlatformResource(string Name, string Kind, string? Url, string? ConnectionString);
