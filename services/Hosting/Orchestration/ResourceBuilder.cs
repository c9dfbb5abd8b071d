namespace LettaPlatform.Hosting.Orchestration;

/// <summary>A resource being described; the extension methods add references, wait-for and endpoints.</summary>
public interface IResourceBuilder<out T>
    where T : Resource
{
    T Resource { get; }

    PlatformBuilder Platform { get; }
}

internal sealed record ResourceBuilder<T>(T Resource, PlatformBuilder Platform) : IResourceBuilder<T>
    where T : Resource;

public static class ResourceBuilderExtensions
{
    /// <summary>A database on this server; dependents get <c>ConnectionStrings__&lt;name&gt;</c>.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> server, string name, string? databaseName = null) =>
        server.Platform.Add(new PostgresDatabaseResource(name, databaseName ?? name, server.Resource));

    /// <summary>
    /// Passes <paramref name="source"/> to the process the Aspire way: <c>ConnectionStrings__&lt;name&gt;</c>
    /// for a resource with a connection string, else <c>services__&lt;name&gt;__http__0</c> for service discovery.
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> source)
        where T : ExecutableResource
    {
        switch (source.Resource)
        {
            case IResourceWithConnectionString withConnectionString:
                builder.Resource.SetEnvironment($"ConnectionStrings__{withConnectionString.Name}", () => withConnectionString.ConnectionString);
                break;
            case IResourceWithEndpoint withEndpoint:
                builder.Resource.SetEnvironment($"services__{withEndpoint.Name}__http__0", () => withEndpoint.Url.ToString().TrimEnd('/'));
                break;
            default:
                throw new ArgumentException($"{source.Resource.Name} has neither a connection string nor an endpoint to reference.", nameof(source));
        }

        return builder;
    }

    /// <summary>Starts this resource only once <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        builder.Resource.AddWaitFor(dependency.Resource);
        return builder;
    }

    /// <summary>Listens on this fixed loopback port instead of a free one (unless the platform runs on free ports only).</summary>
    public static IResourceBuilder<T> WithHttpPort<T>(this IResourceBuilder<T> builder, int port)
        where T : ExecutableResource
    {
        builder.Resource.HttpPort = builder.Platform.Options.FreePortsOnly ? FreePort.Next() : port;
        return builder;
    }

    /// <summary>Serves HTTP on a loopback port (a free one unless given); healthy when GET <paramref name="healthPath"/> answers 200.</summary>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, string? healthPath = "/health", int? port = null)
        where T : ExecutableResource
    {
        builder.Resource.HttpPort = port ?? builder.Resource.HttpPort ?? FreePort.Next();
        builder.Resource.HealthPath = healthPath;
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string key, string value)
        where T : ExecutableResource
    {
        builder.Resource.SetEnvironment(key, () => value);
        return builder;
    }

    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, params string[] arguments)
        where T : ExecutableResource
    {
        builder.Resource.AddArguments(arguments);
        return builder;
    }
}
