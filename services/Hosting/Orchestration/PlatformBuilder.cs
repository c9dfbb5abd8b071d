using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace LettaPlatform.Hosting.Orchestration;

/// <summary>
/// Describes the topology the way an Aspire AppHost does (resources, references, wait-for) and
/// builds a <see cref="DistributedPlatform"/> that runs it on this machine.
/// </summary>
public sealed class PlatformBuilder
{
    public const string TargetFramework = "net10.0";

    private static readonly Dictionary<string, int> StablePorts = new()
    {
        ["postgres"] = 54320,
        ["redis"] = 63790,
        ["messaging"] = 56720,
    };

    private readonly List<Resource> resources = [];

    public PlatformBuilder(PlatformOptions options, IConfiguration configuration)
    {
        Options = options;
        Configuration = configuration;
        Directory.CreateDirectory(options.DataDirectory);
        DevSigningKey = ReadOrCreateDevSigningKey(options.DataDirectory);
    }

    public PlatformOptions Options { get; }

    public IConfiguration Configuration { get; }

    /// <summary>The HS256 key every service validates the gateway's dev tokens with; kept in the data folder.</summary>
    public string DevSigningKey { get; }

    public IReadOnlyList<Resource> Resources => resources;

    /// <summary>
    /// Reads configuration (the AppHost's appsettings.json, environment variables, command line) and
    /// the flags <c>--data &lt;folder&gt;</c> (default <c>&lt;repo&gt;/.data</c>), <c>--fresh</c> (wipe it first),
    /// <c>--no-build</c>, <c>--free-ports</c> (every port free, the gateway's too: for running beside
    /// another AppHost or in a test) and <c>--state-file &lt;path&gt;</c> (see <see cref="PlatformOptions.StateFile"/>).
    /// </summary>
    public static PlatformBuilder Create(string[] args)
    {
        var remaining = new List<string>();
        string? data = null, stateFile = null;
        bool fresh = false, build = true, freePorts = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length:
                    data = args[++i];
                    break;
                case "--fresh":
                    fresh = true;
                    break;
                case "--no-build":
                    build = false;
                    break;
                case "--free-ports":
                    freePorts = true;
                    break;
                case "--state-file" when i + 1 < args.Length:
                    stateFile = Path.GetFullPath(args[++i]);
                    break;
                default:
                    remaining.Add(args[i]);
                    break;
            }
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. remaining])
            .Build();
        var root = PlatformOptions.FindRepositoryRoot();
        var dataDirectory = Path.GetFullPath(data ?? configuration["DataDirectory"] ?? Path.Combine(root, ".data"));
        if (fresh && Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        var options = new PlatformOptions
        {
            RepositoryRoot = root,
            DataDirectory = dataDirectory,
            Configuration = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug",
            BuildProjects = build,
            StableServerPorts = !freePorts,
            FreePortsOnly = freePorts,
            StateFile = stateFile,
        };
        return new PlatformBuilder(options, configuration);
    }

    public IResourceBuilder<PostgresServerResource> AddPostgres(string name) =>
        AddServer(new PostgresServerResource(name, Configuration.GetConnectionString(name)));

    public IResourceBuilder<RedisResource> AddRedis(string name) =>
        AddServer(new RedisResource(name, Configuration.GetConnectionString(name)));

    public IResourceBuilder<RabbitMqResource> AddRabbitMq(string name) =>
        AddServer(new RabbitMqResource(name, Configuration.GetConnectionString(name)));

    /// <summary>
    /// A .NET web project of this repository (folder relative to the root), run from its build
    /// output on a free loopback port, healthy when GET /health answers 200.
    /// </summary>
    public IResourceBuilder<ProjectResource> AddProject(string name, string projectDirectory)
    {
        var directory = Path.GetFullPath(Path.Combine(Options.RepositoryRoot, projectDirectory));
        return ConfigureProject(Add(new ProjectResource(name, directory, AssemblyPathOf(directory))));
    }

    /// <summary>
    /// Letta: the configured <c>ConnectionStrings:letta</c> when there is one (Letta Cloud, a self-hosted
    /// server), otherwise LettaDev from services/LettaDev, protected by <c>LettaDev:Password</c> when that is set.
    /// </summary>
    public IResourceBuilder<LettaResource> AddLetta(string name)
    {
        var directory = Path.Combine(Options.RepositoryRoot, "services", "LettaDev");
        var letta = ConfigureProject(Add(new LettaResource(name, directory, AssemblyPathOf(directory), Configuration.GetConnectionString(name))))
            .WithHttpEndpoint("/v1/health/");
        if (Configuration["LettaDev:Password"] is { Length: > 0 } password)
        {
            letta.Resource.Key = password;
            letta.WithEnvironment("LettaDev__Password", password);
        }

        return letta.WithArgs("--urls", letta.Resource.Url.ToString().TrimEnd('/'));
    }

    /// <summary>Any program, supervised like a project (restarted when it crashes).</summary>
    public IResourceBuilder<ExecutableResource> AddExecutable(string name, string command, params string[] arguments) =>
        Add(new ExecutableResource(name, command, arguments));

    public DistributedPlatform Build() => new(Options, resources);

    internal IResourceBuilder<T> Add<T>(T resource)
        where T : Resource
    {
        if (resources.Any(existing => existing.Name == resource.Name))
        {
            throw new ArgumentException($"A resource named '{resource.Name}' already exists.", nameof(resource));
        }

        resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    private IResourceBuilder<T> AddServer<T>(T server)
        where T : ServerResource
    {
        server.Port = (Options.FreePortsOnly ? null : Configuration.GetValue<int?>($"Ports:{server.Name}"))
            ?? (Options.StableServerPorts && StablePorts.TryGetValue(server.Name, out var stable) ? stable : FreePort.Next());
        return Add(server);
    }

    private IResourceBuilder<T> ConfigureProject<T>(IResourceBuilder<T> project)
        where T : ProjectResource
    {
        var resource = project.Resource;
        resource.SetEnvironment("ASPNETCORE_URLS", () => resource.Url.ToString().TrimEnd('/'));
        return project
            .WithHttpEndpoint()
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            .WithEnvironment("DOTNET_ENVIRONMENT", "Development")
            .WithEnvironment("OTEL_SERVICE_NAME", resource.Name)
            .WithEnvironment("Auth__DevSigningKey", DevSigningKey)
            // One line per log entry, so prefixed console output and log files stay readable.
            .WithEnvironment("Logging__Console__FormatterName", "simple")
            .WithEnvironment("Logging__Console__FormatterOptions__SingleLine", "true");
    }

    private string AssemblyPathOf(string projectDirectory)
    {
        var projectName = Path.GetFileNameWithoutExtension(Directory.GetFiles(projectDirectory, "*.csproj").Single());
        return Path.Combine(projectDirectory, "bin", Options.Configuration, TargetFramework, $"LettaPlatform.{projectName}.dll");
    }

    private static string ReadOrCreateDevSigningKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "dev-signing-key");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, key);
        return key;
    }
}
