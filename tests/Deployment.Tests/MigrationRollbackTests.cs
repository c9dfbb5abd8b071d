using Npgsql;

namespace LettaPlatform.Deployment.Tests;

/// <summary>
/// The release procedure of deploy/README.md on a real PostgreSQL, with psql running the committed
/// scripts as the migration Jobs do: apply every migration, store data, roll back the latest
/// migration, apply again, and the data is still there at each step.
/// </summary>
public sealed class MigrationRollbackTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    /// <summary>
    /// A query that counts what each service's latest migration changes: chatdb's HandOffSessions adds the sessions'
    /// parent column, agentsdb's Projects adds the projects table, toolsdb's HandOffChains adds the ledger's chain
    /// column, memorydb's ProjectSharedBlocks adds the agents' project column (shared project blocks).
    /// Update it with the next migration.
    /// </summary>
    private static readonly Dictionary<string, string> LatestMigrationObjects = new()
    {
        ["chatdb"] = "SELECT count(*) FROM information_schema.columns WHERE table_name = 'chat_sessions' AND column_name = 'parent_session_id'",
        ["agentsdb"] = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'projects'",
        ["memorydb"] = "SELECT count(*) FROM information_schema.columns WHERE table_name = 'agents' AND column_name = 'project_id'",
        ["toolsdb"] = "SELECT count(*) FROM information_schema.columns WHERE table_name = 'tool_executions' AND column_name = 'chain_id'",
    };

    [Theory]
    [MemberData(nameof(MigrationScripts.All), MemberType = typeof(MigrationScripts))]
    public async Task ApplyRollBackApply_KeepsTheData(string project, string database)
    {
        var scripts = new MigrationScripts(project, database);
        var connectionString = await infrastructure.CreateDatabaseAsync($"rollback_{database}");
        var latestObjects = LatestMigrationObjects[database];

        await PsqlAsync(connectionString, scripts.Apply);
        Assert.Equal(scripts.Migrations, await AppliedMigrationsAsync(connectionString));
        Assert.True(await ScalarAsync(connectionString, latestObjects) > 0);

        var messageId = Guid.NewGuid();
        await ExecuteAsync(connectionString,
            $$"""
            INSERT INTO outbox_messages (id, message_type, body, created_at, attempts) VALUES ('{{messageId}}', 'Test.Message', '{"kept":true}', now(), 0);
            INSERT INTO processed_messages (consumer, message_id, processed_at) VALUES ('rollback-test', '{{messageId}}', now());
            """);

        await PsqlAsync(connectionString, scripts.Rollback);
        Assert.Equal(scripts.Migrations.SkipLast(1), await AppliedMigrationsAsync(connectionString));
        Assert.Equal(0, await ScalarAsync(connectionString, latestObjects));
        await AssertDataKeptAsync(connectionString, messageId);

        await PsqlAsync(connectionString, scripts.Apply);
        Assert.Equal(scripts.Migrations, await AppliedMigrationsAsync(connectionString));
        Assert.True(await ScalarAsync(connectionString, latestObjects) > 0);
        await AssertDataKeptAsync(connectionString, messageId);

        // Applying a current schema again changes nothing (the Job may run twice).
        await PsqlAsync(connectionString, scripts.Apply);
        Assert.Equal(scripts.Migrations, await AppliedMigrationsAsync(connectionString));
    }

    [Fact]
    public async Task Psql_FailingScript_FailsTheJob()
    {
        var connectionString = await infrastructure.CreateDatabaseAsync("rollback_failing");
        var script = Path.Combine(Directory.CreateTempSubdirectory("lettaplatform-sql-").FullName, "broken.sql");
        await File.WriteAllTextAsync(script, "CREATE TABLE a (id int);\nSELECT * FROM no_such_table;\n", TestContext.Current.CancellationToken);

        var result = await RunPsqlAsync(connectionString, script);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no_such_table", result.Error, StringComparison.Ordinal);
    }

    private static async Task AssertDataKeptAsync(string connectionString, Guid messageId)
    {
        Assert.Equal(1, await ScalarAsync(connectionString, $"SELECT count(*) FROM outbox_messages WHERE id = '{messageId}' AND body->>'kept' = 'true'"));
        Assert.Equal(1, await ScalarAsync(connectionString, $"SELECT count(*) FROM processed_messages WHERE message_id = '{messageId}'"));
    }

    /// <summary>psql as the Job runs it (deploy/kubernetes/migrations/jobs.yaml), the password in the environment, not the arguments.</summary>
    private static async Task PsqlAsync(string connectionString, string script)
    {
        var result = await RunPsqlAsync(connectionString, script);
        Assert.True(result.ExitCode == 0, $"psql {Path.GetFileName(script)}: {result}");
    }

    private static Task<ToolResult> RunPsqlAsync(string connectionString, string script)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var uri = $"postgresql://{Uri.EscapeDataString(builder.Username!)}@{builder.Host}:{builder.Port}/{builder.Database}";
        return Tool.RunAsync(
            "psql",
            ["--no-psqlrc", "--set=ON_ERROR_STOP=1", $"--dbname={uri}", $"--file={script}"],
            environment: new Dictionary<string, string> { ["PGPASSWORD"] = builder.Password ?? "" });
    }

    private static async Task<List<string>> AppliedMigrationsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY \"MigrationId\"", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
