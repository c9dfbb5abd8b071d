using System.Reflection;
using System.Text.RegularExpressions;
using LettaPlatform.Hosting;
using Xunit;

namespace LettaPlatform.TestInfrastructure;

/// <summary>
/// PostgreSQL, Redis and RabbitMQ for tests, started once per test run and shared by every test
/// assembly of the run (see <see cref="SharedInfrastructure"/>). Use it as
/// <c>[assembly: AssemblyFixture(typeof(InfrastructureFixture))]</c>.
/// Setting <c>ConnectionStrings__postgres</c>, <c>ConnectionStrings__redis</c> and
/// <c>ConnectionStrings__messaging</c> uses those servers instead.
/// </summary>
public sealed partial class InfrastructureFixture : IAsyncLifetime
{
    private SharedInfrastructureLease? lease;
    private InfrastructureEndpoints? endpoints;

    public string RedisConnectionString => Endpoints.Redis;

    /// <summary><c>amqp://user:password@127.0.0.1:port</c>.</summary>
    public string RabbitMqConnectionString => Endpoints.Messaging;

    private InfrastructureEndpoints Endpoints => endpoints ?? throw new InvalidOperationException("The fixture has not been initialized.");

    /// <summary>Creates a fresh database named after <paramref name="prefix"/> plus a unique suffix; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var cleaned = InvalidCharacters().Replace(prefix.ToLowerInvariant(), "_");
        var name = $"{cleaned[..Math.Min(cleaned.Length, 40)]}_{Guid.NewGuid().ToString("N")[..12]}";
        await LocalPostgresExtensions.CreateDatabaseAsync(Endpoints.Postgres, name);
        return PostgresConnectionString(name);
    }

    /// <summary>The connection string of an existing database on the shared server.</summary>
    public string PostgresConnectionString(string database) => $"{Endpoints.Postgres};Database={database}";

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("ConnectionStrings__postgres") is { Length: > 0 } postgres
            && Environment.GetEnvironmentVariable("ConnectionStrings__redis") is { Length: > 0 } redis
            && Environment.GetEnvironmentVariable("ConnectionStrings__messaging") is { Length: > 0 } messaging)
        {
            endpoints = new InfrastructureEndpoints(postgres, redis, messaging);
            return;
        }

        var keeper = typeof(InfrastructureFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "KeeperAssembly").Value!;
        lease = await SharedInfrastructure.AcquireAsync(keeper);
        endpoints = lease.Endpoints;
    }

    public async ValueTask DisposeAsync()
    {
        if (lease is not null)
        {
            await lease.DisposeAsync();
        }
    }

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex InvalidCharacters();
}
