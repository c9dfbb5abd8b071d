using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace LettaPlatform.Hosting;

/// <summary>A PostgreSQL server whose databases the AppHost creates: a local one, or one named by a connection string.</summary>
public interface IPostgresServerResource : IResourceWithConnectionString;

/// <summary>PostgreSQL from this machine's installation, listening on 127.0.0.1 only, its cluster in the data folder.</summary>
public sealed class LocalPostgresResource(string name, string command, string directory, int port, string password)
    : ExecutableResource(name, command, directory), IPostgresServerResource
{
    public const string SuperUser = "postgres";

    public int Port { get; } = port;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={Port.ToString()};Username={SuperUser};Password={password}");

    internal string Password => password;

    internal string DataDirectory => Path.Combine(WorkingDirectory, "data");
}

/// <summary>A database on a PostgreSQL server, created (if missing) once the server is ready.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, IPostgresServerResource parent)
    : Resource(name), IResourceWithParent<IPostgresServerResource>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public IPostgresServerResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

public static partial class LocalPostgresExtensions
{
    private const int StablePort = 54320;

    /// <summary>
    /// PostgreSQL named <paramref name="name"/>: the server of <c>ConnectionStrings:&lt;name&gt;</c> when one is
    /// configured, otherwise a local cluster in <c>&lt;data&gt;/&lt;name&gt;</c> (initdb on first start, the
    /// superuser's password generated and kept there) on <c>Ports:&lt;name&gt;</c> (54320).
    /// </summary>
    public static IResourceBuilder<IPostgresServerResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name)
    {
        if (ExternalServer.Configured(builder, name) is { } external)
        {
            return ExternalServer.Add<IPostgresServerResource>(builder, new ExternalPostgresResource(name, external), PostgresHealthCheck(builder, name, () => external));
        }

        var directory = Path.Combine(builder.DataDirectory(), name);
        var port = builder.PortFor(name, StablePort);
        var postgres = new LocalPostgresResource(
            name, LocalInfrastructure.Command("postgres", b => b.Postgres, "postgres", logsOnStandardError: true), directory, port, builder.Secret(Path.Combine(name, "password")));
        var durable = builder.Durable();
        var socketDirectory = Path.Combine(directory, "run");
        // A Unix socket path is limited to 107 bytes; in a deeper folder the server listens on TCP only.
        var socketFits = $"{socketDirectory}/.s.PGSQL.{port}".Length <= 107;

        return LocalInfrastructure.AddServer(builder, postgres, "postgres", b => b.Postgres, async (_, binaries, log, cancellationToken) =>
            {
                await ServiceAccount.PrepareFoldersAsync(ServiceAccount.For("postgres"), socketDirectory).ConfigureAwait(false);
                if (!File.Exists(Path.Combine(postgres.DataDirectory, "PG_VERSION")))
                {
                    await InitializeClusterAsync(postgres, binaries, cancellationToken).ConfigureAwait(false);
                }
            }, logsOnStandardError: true, interruptOnStop: true)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithArgs(
            [
                "-D", postgres.DataDirectory,
                "-p", port.ToString(),
                "-c", "listen_addresses=127.0.0.1",
                "-c", $"unix_socket_directories={(socketFits ? socketDirectory : "")}",
                "-c", "max_connections=300",
                "-c", "logging_collector=off",
                // Connections come and go with every health probe: not worth a log line each.
                "-c", "log_connections=off",
                // Not durable (throw-away test data): no fsync, so a machine crash may lose the cluster. A
                // commit still writes its WAL before it is acknowledged (synchronous_commit stays on),
                // so a server that is killed or restarted keeps every acknowledged write.
                .. durable ? Array.Empty<string>() : ["-c", "fsync=off", "-c", "full_page_writes=off"],
            ])
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(PostgresHealthCheck(builder, name, () => ConnectionString(postgres)));
    }

    /// <summary>A database <paramref name="name"/> on the server; created once the server is ready, healthy once it accepts connections.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<IPostgresServerResource> server, string name)
    {
        var database = new PostgresDatabaseResource(name, name, server.Resource);
        var builder = server.ApplicationBuilder;
        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, async (@event, cancellationToken) =>
        {
            await CreateDatabaseAsync(await server.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? "", name, cancellationToken).ConfigureAwait(false);
            await @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, state => state with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            }).ConfigureAwait(false);
        });

        var check = $"{name}-database";
        string? connectionString = null;
        builder.Services.AddHealthChecks().AddAsyncCheck(check, async cancellationToken =>
        {
            connectionString ??= await database.ConnectionStringExpression.GetValueAsync(cancellationToken).ConfigureAwait(false);
            return await CanQueryAsync(connectionString!, cancellationToken).ConfigureAwait(false)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"Database {name} does not accept connections yet.");
        });

        return builder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "Database", State = KnownResourceStates.Waiting, Properties = [] })
            .WithHealthCheck(check)
            .WithIconName("Database")
            .ExcludeFromManifest();
    }

    /// <summary>Creates <paramref name="database"/> on the server of <paramref name="serverConnectionString"/> unless it exists; safe to call concurrently.</summary>
    public static async Task CreateDatabaseAsync(string serverConnectionString, string database, CancellationToken cancellationToken = default)
    {
        if (!DatabaseName().IsMatch(database))
        {
            throw new ArgumentException($"'{database}' is not a database name this platform uses (lower-case letters, digits, _ and -).", nameof(database));
        }

        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Someone else created it between our check and our CREATE: that is the outcome we wanted.
        }
    }

    private static string ConnectionString(LocalPostgresResource postgres) =>
        $"Host=127.0.0.1;Port={postgres.Port};Username={LocalPostgresResource.SuperUser};Password={postgres.Password}";

    private static string PostgresHealthCheck(IDistributedApplicationBuilder builder, string name, Func<string> connectionString)
    {
        var key = $"{name}-server";
        builder.Services.AddHealthChecks().AddAsyncCheck(key, async cancellationToken =>
            await CanQueryAsync(new NpgsqlConnectionStringBuilder(connectionString()) { Database = "postgres" }.ConnectionString, cancellationToken).ConfigureAwait(false)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("PostgreSQL does not accept connections yet."));
        return key;
    }

    /// <summary>A real query on a fresh connection: pooled connections would hold up PostgreSQL's smart shutdown on stop.</summary>
    private static async Task<bool> CanQueryAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 3 };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task InitializeClusterAsync(LocalPostgresResource postgres, InfrastructureBinaries binaries, CancellationToken cancellationToken)
    {
        if (Directory.Exists(postgres.DataDirectory))
        {
            Directory.Delete(postgres.DataDirectory, recursive: true);
        }

        var user = ServiceAccount.For("postgres");
        var passwordFile = Path.Combine(postgres.WorkingDirectory, "initdb-password");
        await File.WriteAllTextAsync(passwordFile, postgres.Password, cancellationToken).ConfigureAwait(false);
        await ServiceAccount.PrepareFoldersAsync(user, postgres.WorkingDirectory).ConfigureAwait(false);
        try
        {
            await CommandRunner.RunCheckedAsync(
                new ProcessSpec(binaries.Initdb,
                [
                    "-D", postgres.DataDirectory, "-U", LocalPostgresResource.SuperUser, $"--pwfile={passwordFile}",
                    "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync",
                ])
                { User = user, WorkingDirectory = postgres.WorkingDirectory },
                TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    [GeneratedRegex("^[a-z0-9_][a-z0-9_-]{0,62}$")]
    private static partial Regex DatabaseName();
}

internal sealed class ExternalPostgresResource(string name, string connectionString)
    : ExternalServerResource(name, connectionString), IPostgresServerResource;
