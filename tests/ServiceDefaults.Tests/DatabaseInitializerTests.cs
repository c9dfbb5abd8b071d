using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Tests.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace LettaPlatform.ServiceDefaults.Tests;

public sealed class DatabaseInitializerTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task HealthCheck_BeforeAndAfterMigrations_IsUnhealthyThenHealthy()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var database = await infrastructure.CreateDatabaseAsync("initializer");
        using var host = ServiceHost.Build(database, infrastructure.RabbitMqConnectionString);
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var before = await health.CheckHealthAsync(check => check.Name == ServiceHost.DatabaseName, cancellationToken);
        Assert.Equal(HealthStatus.Unhealthy, before.Status);

        await host.StartAsync(cancellationToken);
        var after = before;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (after.Status != HealthStatus.Healthy && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, cancellationToken);
            after = await health.CheckHealthAsync(check => check.Name == ServiceHost.DatabaseName, cancellationToken);
        }

        Assert.Equal(HealthStatus.Healthy, after.Status);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(cancellationToken));
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync(cancellationToken));

        await host.StopAsync(cancellationToken);
    }

    [Fact]
    public async Task MigrateOnStartupOff_SchemaBehind_AppliesNothingAndIsReadyOnceADeployStepMigrated()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var database = await infrastructure.CreateDatabaseAsync("no_migrate");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ServiceHost.DatabaseName}"] = database,
            ["Database:MigrateOnStartup"] = "false",
        });
        builder.AddServiceDatabase<TestDbContext>(ServiceHost.DatabaseName);
        using var host = builder.Build();
        var state = host.Services.GetRequiredService<DatabaseInitializationState<TestDbContext>>();

        await host.StartAsync(cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);

        Assert.False(state.IsMigrated);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            Assert.Empty(await db.Database.GetAppliedMigrationsAsync(cancellationToken));

            // The deploy step: another process applies the migrations.
            await db.Database.MigrateAsync(cancellationToken);
        }

        await state.Migrated.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var health = await host.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Name == ServiceHost.DatabaseName, cancellationToken);
        Assert.Equal(HealthStatus.Healthy, health.Status);

        await host.StopAsync(cancellationToken);
    }

    [Fact]
    public async Task HostStops_ItsIdleConnectionsAreClosedAtOnce_NotAfterNpgsqlsIdleLifetime()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var database = await infrastructure.CreateDatabaseAsync("pool_release");
        var name = new Npgsql.NpgsqlConnectionStringBuilder(database).Database!;
        using var host = ServiceHost.Build(database, infrastructure.RabbitMqConnectionString);
        await host.StartAsync(cancellationToken);
        await host.Services.GetRequiredService<DatabaseInitializationState<TestDbContext>>().Migrated.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TestDbContext>().Database.ExecuteSqlRawAsync("SELECT pg_sleep(0.2)", cancellationToken);
        }));
        Assert.True(await ConnectionsToAsync(name, cancellationToken) >= 1);

        await host.StopAsync(cancellationToken);

        Assert.Equal(0, await ConnectionsToAsync(name, cancellationToken));
    }

    private async Task<long> ConnectionsToAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(infrastructure.PostgresConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @database", connection);
        command.Parameters.AddWithValue("database", database);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
