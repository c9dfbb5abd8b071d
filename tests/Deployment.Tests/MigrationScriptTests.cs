namespace LettaPlatform.Deployment.Tests;

/// <summary>The committed scripts are those of the current migrations (deploy/kubernetes/migrations/generate.sh makes them).</summary>
public sealed class MigrationScriptTests
{
    [Theory]
    [MemberData(nameof(MigrationScripts.All), MemberType = typeof(MigrationScripts))]
    public void ApplyScript_HasEveryMigration(string project, string database)
    {
        var scripts = new MigrationScripts(project, database);
        var script = File.ReadAllText(scripts.Apply);

        Assert.True(scripts.Migrations.Count >= 2, $"{project} has fewer than two migrations");
        Assert.All(scripts.Migrations, id => Assert.True(
            script.Contains($"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\")\n    VALUES ('{id}'", StringComparison.Ordinal),
            $"{Path.GetFileName(scripts.Apply)} lacks migration {id}: run deploy/kubernetes/migrations/generate.sh"));
        Assert.False(script.StartsWith('\uFEFF'), "a byte order mark would reach the server as part of the first statement");
    }

    [Theory]
    [MemberData(nameof(MigrationScripts.All), MemberType = typeof(MigrationScripts))]
    public void RollbackScript_UndoesTheLatestMigrationOnly(string project, string database)
    {
        var scripts = new MigrationScripts(project, database);
        var script = File.ReadAllText(scripts.Rollback);

        Assert.Contains($"DELETE FROM \"__EFMigrationsHistory\"\n    WHERE \"MigrationId\" = '{scripts.Migrations[^1]}'", script, StringComparison.Ordinal);
        Assert.All(scripts.Migrations.SkipLast(1), id => Assert.DoesNotContain(id, script, StringComparison.Ordinal));
    }

    [Fact]
    public void MigrationJobs_ReadTheScriptsTheConfigMapCarries()
    {
        var kustomization = File.ReadAllText(Path.Combine(Repository.Kubernetes, "migrations", "kustomization.yaml"));
        var jobs = File.ReadAllText(Path.Combine(Repository.Kubernetes, "migrations", "jobs.yaml"));

        foreach (var database in MigrationScripts.Services.Select(service => service.Database))
        {
            Assert.Contains($"- sql/{database}.sql", kustomization, StringComparison.Ordinal);
            Assert.Contains($"- sql/{database}.rollback.sql", kustomization, StringComparison.Ordinal);
            Assert.Contains($"--file=/scripts/{database}.sql", jobs, StringComparison.Ordinal);
        }
    }
}
