using Aspire.Hosting;
using Aspire.Hosting.Testing;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LettaPlatform.TestInfrastructure;
using Npgsql;
using NpgsqlTypes;

namespace LettaPlatform.Bench;

/// <summary>
/// memory-sync's reconcile (every agent's Letta blocks compared with the latest recorded versions) over
/// <see cref="BenchOptions.ReconcileAgents"/> agents, as an operator runs it: <c>POST /api/memory/reconcile</c> at
/// memory-sync itself. Its duration, agents a second, and each process's CPU time during it, idle rate taken off.
/// Seeding is not measured: the agents are created in LettaDev through its Letta API, a few at once, each with the
/// blocks of a benchmark user's real code-assistant agent; memory-sync's rows for them are written into memorydb with
/// COPY, in one transaction, as registering each from its <c>AgentProvisioned</c> would leave them: the agent, its blocks
/// as Letta holds them with their first version, and a scheduled snapshot (without one, the snapshot scheduler would
/// take thousands of snapshots, perhaps during the measure).
/// </summary>
public sealed class ReconcileBench(PlatformFixture platform, BenchOptions options, TextWriter log)
{
    private const int SeedParallelism = 8;

    public async Task<ReconcileSummary> RunAsync(AgentOfUser model, CancellationToken cancellationToken)
    {
        using var memorySync = platform.CreateAdminClient(platform.ReplicaUrls("memory-sync-api")[0]);
        memorySync.Timeout = TimeSpan.FromMinutes(30);

        // Once over the agents already there: memory-sync's reconcile path is warm before the measured run.
        await ReconcileAsync(memorySync, cancellationToken);

        log.WriteLine($"  seeding {options.ReconcileAgents} agents …");
        var seeding = Stopwatch.StartNew();
        var blocks = await BlocksOfAsync(model.LettaAgentId, cancellationToken);
        var lettaAgentIds = await CreateLettaAgentsAsync(blocks, cancellationToken);
        var seeded = await RecordAgentsAsync(model, lettaAgentIds, blocks, cancellationToken);
        seeding.Stop();

        var processes = Benchmark.Processes(platform);
        // The replica the request went to: the first, as ReplicaUrls and Processes both order them.
        var memorySyncProcess = processes[processes.ContainsKey("memory-sync-api") ? "memory-sync-api" : "memory-sync-api#1"];
        var idle = await Benchmark.CpuOverAsync(processes, () => Task.Delay(TimeSpan.FromSeconds(3), cancellationToken));
        await using var counters = await ServerCounters.ConnectAsync(
            (await platform.App.GetConnectionStringAsync("redis", cancellationToken))!,
            (await platform.App.GetConnectionStringAsync("postgres", cancellationToken))!);
        var transactionsBefore = await counters.ReadAsync();
        var readsBefore = await TableReadsAsync(cancellationToken);
        var rssBefore = ProcessStats.RssMiB(memorySyncProcess);
        log.WriteLine("  reconciling …");
        JsonObject report = null!;
        var run = await Benchmark.CpuOverAsync(processes, async () => report = await ReconcileAsync(memorySync, cancellationToken));
        var rssAfter = ProcessStats.RssMiB(memorySyncProcess);
        var transactionsAfter = await counters.ReadAsync();
        var readsAfter = await TableReadsAsync(cancellationToken);

        // Other agents may be missing from Letta or have drifted (tests share a platform); a seeded one never should.
        var failures = report["failures"]!.AsArray().Select(f => f!["agentId"]!.GetValue<Guid>()).ToList();
        var drifted = report["driftedAgentIds"]!.AsArray().Select(id => id!.GetValue<Guid>()).ToList();
        var agents = report["agents"]!.GetValue<int>();
        if (agents < seeded.Count || failures.Concat(drifted).Any(seeded.Contains))
        {
            throw new InvalidOperationException($"Reconcile did not find the {seeded.Count} seeded agents as recorded: {report.ToJsonString()}");
        }

        var durationMs = report["durationMs"]!.GetValue<double>();
        return new ReconcileSummary(
            agents,
            seeded.Count,
            durationMs,
            agents / durationMs * 1000,
            run.Elapsed.TotalMilliseconds,
            processes.Keys.ToDictionary(
                name => name,
                name => Benchmark.LessIdle(run.Cpu[name], idle.Cpu[name], idle.Elapsed, run.Elapsed) * 1000),
            transactionsAfter["postgres:memorydb"] - transactionsBefore["postgres:memorydb"],
            readsAfter.SequentialScans - readsBefore.SequentialScans,
            readsAfter.RowsRead - readsBefore.RowsRead,
            drifted.Count,
            failures.Count,
            rssBefore,
            rssAfter,
            seeding.Elapsed.TotalMilliseconds);
    }

    /// <summary>memorydb's sequential scans and rows read (by them, or fetched through an index) so far, over all its tables.</summary>
    private async Task<(long SequentialScans, long RowsRead)> TableReadsAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection($"{await platform.App.GetConnectionStringAsync("memorydb", cancellationToken)};Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(sum(seq_scan), 0)::bigint, coalesce(sum(seq_tup_read + coalesce(idx_tup_fetch, 0)), 0)::bigint FROM pg_stat_user_tables", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<JsonObject> ReconcileAsync(HttpClient memorySync, CancellationToken cancellationToken)
    {
        using var response = await memorySync.PostAsync("/api/memory/reconcile", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body)!.AsObject()
            : throw new InvalidOperationException($"Reconcile answered {(int)response.StatusCode}: {body}");
    }

    private async Task<List<SeedBlock>> BlocksOfAsync(string lettaAgentId, CancellationToken cancellationToken)
    {
        using var letta = platform.CreateLettaClient();
        var blocks = await letta.GetFromJsonAsync<JsonArray>($"v1/agents/{lettaAgentId}/core-memory/blocks", cancellationToken);
        return [.. blocks!.Select(b => new SeedBlock(b!["label"]!.GetValue<string>(), b["value"]!.GetValue<string>(), b["limit"]!.GetValue<int>()))];
    }

    private async Task<string[]> CreateLettaAgentsAsync(IReadOnlyList<SeedBlock> blocks, CancellationToken cancellationToken)
    {
        using var letta = platform.CreateLettaClient();
        var memoryBlocks = new JsonArray([.. blocks.Select(b => new JsonObject { ["label"] = b.Label, ["value"] = b.Value, ["limit"] = b.Limit })]);
        var ids = new string[options.ReconcileAgents];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Length), new ParallelOptions { MaxDegreeOfParallelism = SeedParallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                // Reconcile reads only blocks: the agents go without tools, which would only make every answer longer.
                var body = new JsonObject { ["name"] = $"reconcile-{i}", ["memory_blocks"] = memoryBlocks.DeepClone(), ["include_base_tools"] = false };
                using var response = await letta.PostAsJsonAsync("v1/agents/", body, ct);
                response.EnsureSuccessStatusCode();
                ids[i] = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!.GetValue<string>();
            });
        return ids;
    }

    /// <summary>Writes memory-sync's rows for the seeded agents; answers their ids.</summary>
    private async Task<HashSet<Guid>> RecordAgentsAsync(AgentOfUser model, IReadOnlyList<string> lettaAgentIds, IReadOnlyList<SeedBlock> blocks, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(await platform.App.GetConnectionStringAsync("memorydb", cancellationToken));
        await connection.OpenAsync(cancellationToken);
        var (lettaInstance, templateId) = await RegistrationOfAsync(connection, model.AgentId, cancellationToken);
        var now = DateTime.UtcNow;
        var agents = lettaAgentIds.Select((lettaAgentId, i) => (Id: Guid.CreateVersion7(), UserId: $"reconcile-{i / 10}", LettaAgentId: lettaAgentId)).ToList();
        var rows = agents.SelectMany(a => blocks.Select(b => (Agent: a.Id, BlockId: Guid.CreateVersion7(), Block: b))).ToList();
        var snapshots = agents.Select(a => (Agent: a.Id, SnapshotId: Guid.CreateVersion7())).ToList();

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CopyAsync(connection, "agents (id, user_id, letta_instance, letta_agent_id, template_id, registered_at, is_project)", agents, async (w, a) =>
        {
            await w.WriteAsync(a.Id, NpgsqlDbType.Uuid, cancellationToken);
            await w.WriteAsync(a.UserId, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(lettaInstance, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(a.LettaAgentId, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(templateId, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            await w.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
        }, cancellationToken);
        await CopyAsync(connection, """blocks (id, agent_id, label, "limit", value, current_version, updated_by, updated_at, sync_state, letta_value, last_synced_at, push_attempts)""", rows, async (w, r) =>
        {
            await w.WriteAsync(r.BlockId, NpgsqlDbType.Uuid, cancellationToken);
            await w.WriteAsync(r.Agent, NpgsqlDbType.Uuid, cancellationToken);
            await w.WriteAsync(r.Block.Label, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(r.Block.Limit, NpgsqlDbType.Integer, cancellationToken);
            await w.WriteAsync(r.Block.Value, NpgsqlDbType.Text, cancellationToken);
            await w.WriteAsync(1, NpgsqlDbType.Integer, cancellationToken);
            await w.WriteAsync("system", NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            await w.WriteAsync("synced", NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(r.Block.Value, NpgsqlDbType.Text, cancellationToken);
            await w.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            await w.WriteAsync(0, NpgsqlDbType.Integer, cancellationToken);
        }, cancellationToken);
        await CopyAsync(connection, "block_versions (id, block_id, agent_id, label, version, value, author, reason, created_at)", rows, async (w, r) =>
        {
            await w.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, cancellationToken);
            await w.WriteAsync(r.BlockId, NpgsqlDbType.Uuid, cancellationToken);
            await w.WriteAsync(r.Agent, NpgsqlDbType.Uuid, cancellationToken);
            await w.WriteAsync(r.Block.Label, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(1, NpgsqlDbType.Integer, cancellationToken);
            await w.WriteAsync(r.Block.Value, NpgsqlDbType.Text, cancellationToken);
            await w.WriteAsync("system", NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync("provisioned", NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
        }, cancellationToken);
        await CopyAsync(connection, "snapshots (id, agent_id, created_at, trigger)", snapshots, async (w, s) =>
        {
            await w.WriteAsync(s.SnapshotId, NpgsqlDbType.Uuid, cancellationToken);
            await w.WriteAsync(s.Agent, NpgsqlDbType.Uuid, cancellationToken);
            await w.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            await w.WriteAsync("scheduled", NpgsqlDbType.Varchar, cancellationToken);
        }, cancellationToken);
        await CopyAsync(connection, """snapshot_blocks (snapshot_id, label, value, version, "limit")""", snapshots.SelectMany(s => blocks.Select(b => (s.SnapshotId, Block: b))), async (w, r) =>
        {
            await w.WriteAsync(r.SnapshotId, NpgsqlDbType.Uuid, cancellationToken);
            await w.WriteAsync(r.Block.Label, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(r.Block.Value, NpgsqlDbType.Text, cancellationToken);
            await w.WriteAsync(1, NpgsqlDbType.Integer, cancellationToken);
            await w.WriteAsync(r.Block.Limit, NpgsqlDbType.Integer, cancellationToken);
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // What a platform's agents, added over months, would be by now: vacuumed, analysed, on disk. Otherwise autovacuum
        // and the checkpointer would do it for the seed during the measure.
        // Two commands: VACUUM refuses to run inside the implicit transaction of a batch.
        foreach (var settle in new[] { "VACUUM (ANALYZE) agents, blocks, block_versions, snapshots, snapshot_blocks", "CHECKPOINT" })
        {
            await using var command = new NpgsqlCommand(settle, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return [.. agents.Select(a => a.Id)];
    }

    /// <summary>The Letta instance and template memory-sync recorded for a real agent, once its <c>AgentProvisioned</c> was consumed.</summary>
    private static async Task<(string LettaInstance, string? TemplateId)> RegistrationOfAsync(NpgsqlConnection connection, Guid agentId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT letta_instance, template_id FROM agents WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", agentId);
        for (var attempt = 0; attempt < 60; attempt++)
        {
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        throw new InvalidOperationException($"memory-sync never registered agent {agentId}.");
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string target, IEnumerable<T> rows, Func<NpgsqlBinaryImporter, T, Task> write, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            await write(writer, row);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private sealed record SeedBlock(string Label, string Value, int Limit);
}

/// <summary>
/// One reconcile run: <see cref="Agents"/> checked (the <see cref="Seeded"/> ones and those already there), memory-sync's
/// own duration, the request's wall time, CPU-ms per process, memorydb's transactions (over the run and the 2.2 s its
/// statistics take to publish, memory-sync's pollers included) with the sequential scans of its tables and the rows
/// PostgreSQL read for them (scanned or fetched through an index), agents drifted and failed (none of them seeded ones), and
/// memory-sync's resident memory before and after. <see cref="SeedMs"/> is how long seeding took; it is not part of the measure.
/// </summary>
public sealed record ReconcileSummary(
    int Agents,
    int Seeded,
    double DurationMs,
    double AgentsPerSecond,
    double RequestMs,
    Dictionary<string, double> CpuMs,
    long MemorydbTransactions,
    long MemorydbSequentialScans,
    long MemorydbRowsRead,
    int Drifted,
    int Failed,
    [property: JsonPropertyName("memory_sync_rss_mib_before")] double MemorySyncRssMiBBefore,
    [property: JsonPropertyName("memory_sync_rss_mib_after")] double MemorySyncRssMiBAfter,
    double SeedMs);
