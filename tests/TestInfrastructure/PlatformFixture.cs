using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
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
/// every platform test can connect GitHub without reaching the internet. Extra environment for the
/// platform is given by a subclass through <see cref="PlatformEnvironment"/>.
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

    /// <summary>Environment variables for the AppHost, which every resource it starts inherits.</summary>
    protected virtual IReadOnlyDictionary<string, string?> PlatformEnvironment() => new Dictionary<string, string?>();

    public virtual async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(dataDirectory);
        var stateFile = Path.Combine(dataDirectory, "state.json");
        await GitHub.StartAsync();
        var environment = new Dictionary<string, string?>(PlatformEnvironment())
        {
            // Servers of its own, not ones a developer configured for the shell running the tests.
            ["ConnectionStrings__postgres"] = null,
            ["ConnectionStrings__redis"] = null,
            ["ConnectionStrings__messaging"] = null,
            ["ConnectionStrings__letta"] = null,
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["GitHub__ApiBaseUrl"] = GitHub.BaseUrl,
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
