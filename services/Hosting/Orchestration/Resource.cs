namespace LettaPlatform.Hosting.Orchestration;

public enum ResourceState
{
    Waiting,
    Starting,
    Running,
    Healthy,
    Unhealthy,
    Crashed,
    Restarting,
    Stopping,
    Stopped,
    Failed,
}

/// <summary>What the console (or a test) sees of a resource at one moment.</summary>
public sealed record ResourceSnapshot(string Name, string Kind, ResourceState State, string? Url, int Restarts, string? Detail);

/// <summary>A resource others reach through <c>ConnectionStrings__&lt;name&gt;</c>.</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }

    /// <summary>Valid once the resource has started.</summary>
    string ConnectionString { get; }
}

/// <summary>A resource others reach through service discovery, <c>services__&lt;name&gt;__http__0</c>.</summary>
public interface IResourceWithEndpoint
{
    string Name { get; }

    Uri Url { get; }
}

/// <summary>One node of the topology.</summary>
public abstract class Resource(string name)
{
    private readonly List<Resource> waitFor = [];

    public string Name { get; } = name;

    public abstract string Kind { get; }

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public IReadOnlyList<Resource> WaitsFor => waitFor;

    /// <summary>Shown in the URL column: an endpoint for people, never a secret.</summary>
    public virtual string? DisplayUrl => null;

    internal void AddWaitFor(Resource dependency)
    {
        if (dependency != this && !waitFor.Contains(dependency))
        {
            waitFor.Add(dependency);
        }
    }

    /// <summary>Starts the resource; returns the process to watch, or null when nothing runs on our side.</summary>
    internal abstract Task<ChildProcess?> LaunchAsync(ResourceContext context, CancellationToken cancellationToken);

    internal abstract Task<bool> IsHealthyAsync(CancellationToken cancellationToken);

    internal abstract Task StopAsync();
}

/// <summary>What a resource gets from the platform while it starts.</summary>
internal sealed record ResourceContext(PlatformOptions Options, Action<string> Log);
