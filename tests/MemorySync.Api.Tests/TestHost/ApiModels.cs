using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LettaPlatform.MemorySync.Api.Tests.TestHost;

// The API's JSON as a client sees it; deliberately not the service's own records.
public sealed record Block(string Label, string Value, int Limit, int Version, string UpdatedBy, DateTimeOffset UpdatedAt, string SyncState, Conflict? Conflict, Guid? ProjectId = null);

public sealed record Conflict(int UserVersion, string UserValue, int AgentVersion, string AgentValue);

public sealed record Source(Guid? SessionId, string? RunId, string? ToolCallId);

public sealed record BlockVersionInfo(int Version, string Value, string Author, string Reason, Source? Source, DateTimeOffset CreatedAt);

public sealed record DiffLine(string Op, string Text);

public sealed record Diff(int From, int To, IReadOnlyList<DiffLine> Lines);

public sealed record SnapshotBlock(string Label, string Value, int Version);

public sealed record SnapshotInfo(Guid Id, DateTimeOffset CreatedAt, string Trigger, bool HasAgentFile, IReadOnlyList<SnapshotBlock> Blocks);

public sealed record Restored(Guid SnapshotId, IReadOnlyList<Block> Blocks);

public sealed record BlockHealthInfo(string Label, int Size, int Limit, double ShareOfLimit, string LastEditor, int Versions, string SyncState, string Drift);

public sealed record AgentHealth(Guid AgentId, bool LettaReachable, string Letta, IReadOnlyList<BlockHealthInfo> Blocks);

public sealed record ReconcileFailureInfo(Guid AgentId, string UserId, string LettaInstance, string LettaAgentId, string Reason, string Detail);

public sealed record ReconcileResult(
    int Agents, int AgentsFailed, int AgentsDrifted, int DriftVersions, int Conflicts, double DurationMs, IReadOnlyList<Guid> DriftedAgentIds, IReadOnlyList<ReconcileFailureInfo> Failures);

public sealed record Problem(int Status, string? Code, string? Title, string? Detail, Dictionary<string, string[]>? Errors);

public static class HttpExtensions
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)!;
    }

    public static async Task<Problem> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.ReadAsync<Problem>(expected);
    }

    public static async Task<Block> GetBlockAsync(this HttpClient client, TestAgent agent, string label) =>
        await (await client.GetAsync($"{agent.BlocksPath}/{label}", Ct)).ReadAsync<Block>();

    public static Task<HttpResponseMessage> PutBlockAsync(this HttpClient client, TestAgent agent, string label, string value, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"{agent.BlocksPath}/{label}") { Content = JsonContent.Create(new { value }) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request, Ct);
    }

    public static async Task<IReadOnlyList<BlockVersionInfo>> GetHistoryAsync(this HttpClient client, TestAgent agent, string label) =>
        await (await client.GetAsync($"{agent.BlocksPath}/{label}/history", Ct)).ReadAsync<List<BlockVersionInfo>>();
}

public sealed record Changes(int Agent, int User, int Rollback, int Restore, int Platform);

public sealed record BlockInsightsInfo(string Label, int Size, int Limit, double ShareOfLimit, string SyncState, Changes Changes, int RevertedAgentEdits, string LastChangedBy);

public sealed record InsightInfo(string Severity, string Kind, string Label, string Message, string Action);

public sealed record AgentInsights(Guid AgentId, string? TemplateId, IReadOnlyList<BlockInsightsInfo> Blocks, IReadOnlyList<InsightInfo> Insights);

public sealed record TemplateBlockStatsInfo(string Label, int Blocks, double AverageShareOfLimit, double MaxShareOfLimit, int NearLimit, Changes Changes, int RevertedAgentEdits);

public sealed record TemplateAnalytics(string TemplateId, int Agents, IReadOnlyList<TemplateBlockStatsInfo> Blocks, IReadOnlyList<InsightInfo> Insights);

public sealed record MemoryAnalytics(double NearLimitShare, IReadOnlyList<TemplateAnalytics> Templates);
