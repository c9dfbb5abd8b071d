using Npgsql;

namespace LettaPlatform.Hosting.Orchestration;

/// <summary>A server that runs locally, or an existing one named by a configured connection string.</summary>
public abstract class ServerResource(string name, string? externalConnectionString) : Resource(name), IResourceWithConnectionString
{
    private LocalServer? server;

    public override string Kind => IsExternal ? "external" : "server";

    /// <summary>Set from <c>ConnectionStrings:&lt;name&gt;</c>: then nothing is started.</summary>
    public string? ExternalConnectionString { get; } = externalConnectionString;

    public bool IsExternal => ExternalConnectionString is not null;

    /// <summary>The loopback port a local server listens on (chosen when the topology is built).</summary>
    public int Port { get; internal set; }

    public LocalServer? Server => server;

    public string ConnectionString => ExternalConnectionString
        ?? server?.ConnectionString
        ?? throw new InvalidOperationException($"{Name} has not started yet.");

    public override string? DisplayUrl => IsExternal ? "(configured connection string)" : $"{Scheme}://127.0.0.1:{Port}";

    protected abstract string Scheme { get; }

    internal override async Task<ChildProcess?> LaunchAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (IsExternal)
        {
            return null;
        }

        var binaries = await InfrastructureBinaries.LocateAsync(context.Log, cancellationToken).ConfigureAwait(false);
        server ??= CreateServer(binaries, new ServerSettings(Path.Combine(context.Options.DataDirectory, Name), Port)
        {
            Durable = context.Options.DurableInfrastructure,
            Output = context.Log,
        });
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        return server.Process;
    }

    internal override Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        server is null ? Task.FromResult(IsExternal) : server.IsHealthyAsync(cancellationToken);

    internal override Task StopAsync() => server?.StopAsync() ?? Task.CompletedTask;

    private protected abstract LocalServer CreateServer(InfrastructureBinaries binaries, ServerSettings settings);
}

public sealed class PostgresServerResource(string name, string? externalConnectionString) : ServerResource(name, externalConnectionString)
{
    protected override string Scheme => "postgres";

    /// <summary>The connection string of one database on this server.</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    private protected override LocalServer CreateServer(InfrastructureBinaries binaries, ServerSettings settings) => new PostgresServer(binaries, settings);
}

public sealed class RedisResource(string name, string? externalConnectionString) : ServerResource(name, externalConnectionString)
{
    protected override string Scheme => "redis";

    private protected override LocalServer CreateServer(InfrastructureBinaries binaries, ServerSettings settings) => new RedisServer(binaries, settings);
}

public sealed class RabbitMqResource(string name, string? externalConnectionString) : ServerResource(name, externalConnectionString)
{
    protected override string Scheme => "amqp";

    private protected override LocalServer CreateServer(InfrastructureBinaries binaries, ServerSettings settings) => new RabbitMqServer(binaries, settings);
}

/// <summary>A database on a PostgreSQL server, created (if missing) once the server is healthy.</summary>
public sealed class PostgresDatabaseResource : Resource, IResourceWithConnectionString
{
    private bool created;

    internal PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent)
        : base(name)
    {
        DatabaseName = databaseName;
        Parent = parent;
        AddWaitFor(parent);
    }

    public override string Kind => "database";

    public string DatabaseName { get; }

    public PostgresServerResource Parent { get; }

    public string ConnectionString => Parent.ConnectionStringFor(DatabaseName);

    public override string? DisplayUrl => Parent.IsExternal ? $"(external)/{DatabaseName}" : $"postgres://127.0.0.1:{Parent.Port}/{DatabaseName}";

    internal override async Task<ChildProcess?> LaunchAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        await PostgresServer.CreateDatabaseAsync(Parent.ConnectionString, DatabaseName, cancellationToken).ConfigureAwait(false);
        created = true;
        return null;
    }

    internal override Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(created);

    internal override Task StopAsync() => Task.CompletedTask;
}
