namespace LettaPlatform.Hosting.Orchestration;

/// <summary>How a platform runs: where its data lives and how it treats its resources.</summary>
public sealed class PlatformOptions
{
    /// <summary>The folder holding LettaPlatform.sln.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Server data, logs and the dev signing key; kept across runs.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The build configuration whose output projects run from.</summary>
    public string Configuration { get; init; } = "Debug";

    /// <summary>Persist server data safely (the AppHost) rather than trade durability for speed (tests).</summary>
    public bool DurableInfrastructure { get; init; } = true;

    /// <summary>Fixed default ports for the servers (a developer's psql keeps working); otherwise free ports.</summary>
    public bool StableServerPorts { get; init; } = true;

    /// <summary>Ignore fixed ports (configured or given to WithHttpPort): every resource gets a free port.</summary>
    public bool FreePortsOnly { get; init; }

    /// <summary>
    /// When set, a JSON file written once every resource is healthy (name, URL, connection string of
    /// each resource) and deleted on stop: how a test that runs the AppHost as a process finds the platform.
    /// </summary>
    public string? StateFile { get; init; }

    /// <summary>Build the projects (one <c>dotnet build</c>) before starting them.</summary>
    public bool BuildProjects { get; init; } = true;

    public TimeSpan FirstRestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A process healthy for this long before it crashes starts again from <see cref="FirstRestartDelay"/>.</summary>
    public TimeSpan BackoffResetAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a running resource's health is checked.</summary>
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where resource log files go.</summary>
    public string LogDirectory => Path.Combine(DataDirectory, "logs");

    /// <summary>Walks up from <paramref name="start"/> to the folder holding LettaPlatform.sln.</summary>
    public static string FindRepositoryRoot(string? start = null)
    {
        for (var directory = new DirectoryInfo(start ?? AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LettaPlatform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"LettaPlatform.sln was not found above {start ?? AppContext.BaseDirectory}.");
    }
}
