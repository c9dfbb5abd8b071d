using System.Text.RegularExpressions;
using Npgsql;

namespace LettaPlatform.Hosting;

/// <summary>A PostgreSQL cluster in <c>&lt;folder&gt;/data</c>, listening on 127.0.0.1 only.</summary>
public sealed partial class PostgresServer(InfrastructureBinaries binaries, ServerSettings settings)
    : LocalServer(binaries, settings)
{
    public const string SuperUser = "postgres";

    private string? password;

    public override string Name => "postgres";

    public string Password => password ??= ReadOrCreateSecret("password");

    /// <summary>The server without a database, as Aspire gives it for the server resource.</summary>
    public override string ConnectionString => ConnectionStringFor(null);

    private string DataDirectory => Path.Combine(Settings.Directory, "data");

    private string SocketDirectory => Path.Combine(Settings.Directory, "run");

    private string? User => ServiceAccount.For("postgres");

    // A Unix socket path is limited to 107 bytes; in a deeper folder the server listens on TCP only.
    private bool SocketFitsPathLimit => $"{SocketDirectory}/.s.PGSQL.{Port}".Length <= 107;

    public string ConnectionStringFor(string? database) =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Password={Password}" + (database is null ? "" : $";Database={database}");

    /// <summary>Creates the database unless it exists; safe to call concurrently.</summary>
    public Task CreateDatabaseAsync(string database, CancellationToken cancellationToken = default) =>
        CreateDatabaseAsync(ConnectionStringFor("postgres"), database, cancellationToken);

    /// <summary>Creates <paramref name="database"/> on the server of <paramref name="serverConnectionString"/> unless it exists.</summary>
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

    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionStringFor("postgres")) { Pooling = false, Timeout = 3 };
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

    protected override async Task<ChildProcess> LaunchAsync(CancellationToken cancellationToken)
    {
        _ = Password;
        await ServiceAccount.PrepareFoldersAsync(User, Settings.Directory, SocketDirectory).ConfigureAwait(false);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitializeClusterAsync(cancellationToken).ConfigureAwait(false);
        }

        List<string> arguments =
        [
            "-D", DataDirectory,
            "-p", Port.ToString(),
            "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={(SocketFitsPathLimit ? SocketDirectory : "")}",
            "-c", "max_connections=300",
            "-c", "logging_collector=off",
        ];
        if (!Settings.Durable)
        {
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        return await StartChildAsync(new ProcessSpec(Binaries.Postgres, arguments) { User = User }).ConfigureAwait(false);
    }

    protected override async Task RequestStopAsync(ChildProcess process)
    {
        var stop = await CommandRunner.RunAsync(
            new ProcessSpec(Binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30"]) { User = User, WorkingDirectory = Settings.Directory },
            TimeSpan.FromSeconds(40)).ConfigureAwait(false);
        if (!stop.Succeeded)
        {
            // SIGINT is PostgreSQL's own "fast shutdown".
            process.Signal(2);
        }
    }

    private async Task InitializeClusterAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        var passwordFile = Path.Combine(Settings.Directory, "initdb-password");
        await File.WriteAllTextAsync(passwordFile, Password, cancellationToken).ConfigureAwait(false);
        await ServiceAccount.PrepareFoldersAsync(User, Settings.Directory).ConfigureAwait(false);
        try
        {
            await CommandRunner.RunCheckedAsync(
                new ProcessSpec(Binaries.Initdb,
                [
                    "-D", DataDirectory, "-U", SuperUser, $"--pwfile={passwordFile}",
                    "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync",
                ])
                { User = User, WorkingDirectory = Settings.Directory },
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
