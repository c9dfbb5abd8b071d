using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace LettaPlatform.ServiceDefaults.Data;

/// <summary>
/// Closes the idle PostgreSQL connections of <typeparamref name="TContext"/>'s database when the host stops.
/// Npgsql keeps one pool per connection string for the whole process and an idle connection for up to five
/// minutes, so a process that runs the service more than once (the test suites start a host per test, each
/// with its own database, on one shared server) would otherwise hold every stopped host's connections open
/// that long and run the server out of connections. Connections still in use are closed when returned.
/// </summary>
internal sealed class ConnectionPoolRelease<TContext>(IConfiguration configuration, string connectionName) : IHostedService
    where TContext : DbContext
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString)
        {
            using var connection = new NpgsqlConnection(ServiceConnectionString.Tune(connectionString));
            NpgsqlConnection.ClearPool(connection);
        }

        return Task.CompletedTask;
    }
}
