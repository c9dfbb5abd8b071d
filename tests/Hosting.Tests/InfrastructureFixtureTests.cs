using LettaPlatform.TestInfrastructure;
using Npgsql;

namespace LettaPlatform.Hosting.Tests;

public sealed class InfrastructureFixtureTests(InfrastructureFixture fixture) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task CreateDatabase_SamePrefixTwice_GivesTwoFreshDatabases()
    {
        var first = await fixture.CreateDatabaseAsync("fixture-test");
        var second = await fixture.CreateDatabaseAsync("fixture-test");

        Assert.NotEqual(first, second);
        await using var connection = new NpgsqlConnection(second);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        Assert.Equal(connection.Database, new NpgsqlConnectionStringBuilder(fixture.PostgresConnectionString(connection.Database)).Database);
    }

    [Fact]
    public void ConnectionStrings_RedisAndRabbitMq_UseTheAspireFormatsOnLoopback()
    {
        Assert.Matches(@"^127\.0\.0\.1:\d+$", fixture.RedisConnectionString);
        Assert.Matches(@"^amqp://[^:]+:[^@]+@127\.0\.0\.1:\d+$", fixture.RabbitMqConnectionString);
    }
}
