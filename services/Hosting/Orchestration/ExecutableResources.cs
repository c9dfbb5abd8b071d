namespace LettaPlatform.Hosting.Orchestration;

/// <summary>A program the platform runs and supervises: started after what it waits for, restarted when it crashes.</summary>
public class ExecutableResource(string name, string command, IEnumerable<string> arguments) : Resource(name), IResourceWithEndpoint
{
    private static readonly HttpClient HealthClient = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<string> arguments = [.. arguments];
    private readonly Dictionary<string, Func<string>> environment = [];
    private ChildProcess? process;
    private int launches;

    public override string Kind => "executable";

    public string Command { get; } = command;

    public IReadOnlyList<string> Arguments => arguments;

    public string? WorkingDirectory { get; set; }

    /// <summary>The loopback port of its HTTP endpoint, or null when it serves no HTTP.</summary>
    public int? HttpPort { get; internal set; }

    /// <summary>GET this path answering 200 means healthy; without one a running process counts as healthy.</summary>
    public string? HealthPath { get; internal set; }

    public Uri Url => HttpPort is { } port
        ? new Uri($"http://127.0.0.1:{port}")
        : throw new InvalidOperationException($"{Name} has no HTTP endpoint.");

    public override string? DisplayUrl => HttpPort is null ? null : Url.ToString().TrimEnd('/');

    /// <summary>Environment variables, computed when the process starts (so references see started resources).</summary>
    public IReadOnlyDictionary<string, Func<string>> Environment => environment;

    public int? Pid => process is { HasExited: false } running ? running.Id : null;

    internal void AddArguments(IEnumerable<string> more) => arguments.AddRange(more);

    internal void SetEnvironment(string key, Func<string> value) => environment[key] = value;

    internal override async Task<ChildProcess?> LaunchAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        // Checked before the first start only: a restart may find the port in TIME_WAIT, which the
        // server itself binds through (SO_REUSEADDR) but this check would not.
        if (launches++ == 0 && HttpPort is { } port && !FreePort.IsFree(port))
        {
            throw new InvalidOperationException(
                $"Port {port} on 127.0.0.1 is already in use, so {Name} cannot listen on it. Stop what uses it (ss -ltnp 'sport = :{port}') or configure another port.");
        }

        var variables = environment.ToDictionary(pair => pair.Key, pair => (string?)pair.Value());
        process = await ChildProcess.StartAsync(
            new ProcessSpec(Command, arguments) { Environment = variables, WorkingDirectory = WorkingDirectory },
            context.Log).ConfigureAwait(false);
        return process;
    }

    internal override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (process is not { HasExited: false })
        {
            return false;
        }

        if (HttpPort is null || HealthPath is null)
        {
            return true;
        }

        try
        {
            using var response = await HealthClient.GetAsync(new Uri(Url, HealthPath), cancellationToken).ConfigureAwait(false);
            return response.StatusCode == System.Net.HttpStatusCode.OK;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    internal override async Task StopAsync()
    {
        if (process is not null)
        {
            // ASP.NET Core shuts down gracefully on SIGTERM.
            await process.StopAsync(15, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
            process = null;
        }
    }
}

/// <summary>A .NET project of the repository, run from its build output with <c>dotnet &lt;dll&gt;</c>.</summary>
public class ProjectResource : ExecutableResource
{
    internal ProjectResource(string name, string projectDirectory, string assemblyPath)
        : base(name, "dotnet", [assemblyPath])
    {
        ProjectDirectory = projectDirectory;
        AssemblyPath = assemblyPath;
        ProjectFile = Directory.GetFiles(projectDirectory, "*.csproj").Single();
        WorkingDirectory = projectDirectory;
    }

    public override string Kind => "project";

    public string ProjectDirectory { get; }

    public string ProjectFile { get; }

    public string AssemblyPath { get; }
}

/// <summary>
/// The Letta server: LettaDev from this repository unless <c>ConnectionStrings:letta</c> names an
/// existing one (Letta Cloud or a self-hosted server). Clients get <c>ConnectionStrings__letta</c>.
/// </summary>
public sealed class LettaResource : ProjectResource, IResourceWithConnectionString
{
    internal LettaResource(string name, string projectDirectory, string assemblyPath, string? externalConnectionString)
        : base(name, projectDirectory, assemblyPath)
    {
        ExternalConnectionString = externalConnectionString;
    }

    public override string Kind => IsExternal ? "external" : "project";

    public string? ExternalConnectionString { get; }

    public bool IsExternal => ExternalConnectionString is not null;

    /// <summary>LettaDev's password (<c>LettaDev:Password</c>), passed to clients as the connection string's Key.</summary>
    public string? Key { get; internal set; }

    public string ConnectionString => ExternalConnectionString
        ?? $"Endpoint={Url.ToString().TrimEnd('/')}" + (string.IsNullOrEmpty(Key) ? "" : $";Key={Key}");

    public override string? DisplayUrl => IsExternal ? ExternalEndpoint() : base.DisplayUrl;

    internal override Task<ChildProcess?> LaunchAsync(ResourceContext context, CancellationToken cancellationToken) =>
        IsExternal ? Task.FromResult<ChildProcess?>(null) : base.LaunchAsync(context, cancellationToken);

    internal override Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        IsExternal ? Task.FromResult(true) : base.IsHealthyAsync(cancellationToken);

    private string? ExternalEndpoint() =>
        ExternalConnectionString!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].Equals("Endpoint", StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1])
            .FirstOrDefault();
}
