using System.Collections.Concurrent;
using System.Data.Common;
using Npgsql;

namespace LettaPlatform.ServiceDefaults.Data;

/// <summary>
/// A service's PostgreSQL connection string with the platform's pool settings, unless the configured string
/// sets them itself. The services keep no state in a PostgreSQL session (no <c>SET</c> outside a transaction,
/// no temporary tables, no session advisory locks), so a pooled connection needs no reset between uses:
/// Npgsql's default reset is a <c>DISCARD ALL</c> before each reuse, a statement of its own that also throws away
/// the prepared statements. Without it, statements a service runs again and again are prepared once per
/// connection (<c>Max Auto Prepare</c>) and PostgreSQL stops parsing and planning them each time.
/// Measured per chat turn with bench/Bench (bench/README.md).
/// <para>
/// A prepared statement whose result columns change fails once on each connection that prepared it (PostgreSQL's
/// "cached plan must not change result type"; Npgsql prepares it again after). The services' generated SQL names its
/// columns, so only a hand-written <c>SELECT *</c> run often enough to be prepared (five times on one connection)
/// can meet this, after a deploy adds a column to its table while the previous version still runs: the outbox relay
/// names its columns; agent-management's row-locking reads of a template's agent and a project are rare.
/// </para>
/// </summary>
public static class ServiceConnectionString
{
    // A DbContext is built per request from the configured string: parse each configured string once.
    private static readonly ConcurrentDictionary<string, string> Tuned = new(StringComparer.Ordinal);

    public static string Tune(string connectionString) => Tuned.GetOrAdd(connectionString, static configured =>
    {
        // Which settings the configured string names itself, in any of Npgsql's spellings ("No Reset On Close", "NoResetOnClose").
        var named = new DbConnectionStringBuilder { ConnectionString = configured }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(configured);
        if (!named.Contains(nameof(builder.NoResetOnClose)))
        {
            builder.NoResetOnClose = true;
        }

        if (!named.Contains(nameof(builder.MaxAutoPrepare)))
        {
            builder.MaxAutoPrepare = 100;
        }

        return builder.ConnectionString;
    });
}
