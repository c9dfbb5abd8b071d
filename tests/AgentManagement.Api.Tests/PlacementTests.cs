using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LettaPlatform.AgentManagement.Api.Tests.TestHost;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Letta;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Tests;

/// <summary>Two healthy LettaDev instances and one that is down (its port is held but not listening, so connections are refused).</summary>
public sealed class PlacementTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private readonly Socket _down = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private LettaDevServer _a = null!;
    private LettaDevServer _b = null!;
    private AgentManagementHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _a = await LettaDevServer.StartAsync();
        _b = await LettaDevServer.StartAsync();

        // Holding the port keeps another test's server from taking it while this class runs.
        _down.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _host = await AgentManagementHost.StartAsync(infrastructure, new Dictionary<string, Uri>
        {
            ["letta-a"] = _a.Endpoint,
            ["letta-b"] = _b.Endpoint,
            ["letta-down"] = new($"http://127.0.0.1:{((IPEndPoint)_down.LocalEndPoint!).Port}/"),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _down.Dispose();
    }

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    private HttpClient Admin => _host.ClientFor("ops", admin: true);

    private static string Other(string instance) => instance == "letta-a" ? "letta-b" : "letta-a";

    private LettaDevServer Server(string instance) => instance == "letta-a" ? _a : _b;

    private async Task<(string Id, string Instance, string LettaAgentId, HttpClient Owner)> CreateAgentAsync()
    {
        var owner = _host.ClientFor($"user-{Guid.NewGuid():N}");
        var agent = await owner.PostObjectAsync("/api/agents", new { templateId = "code-assistant" }, HttpStatusCode.Created);
        return (agent["id"]!.GetValue<string>(), agent["lettaInstance"]!.GetValue<string>(), agent["lettaAgentId"]!.GetValue<string>(), owner);
    }

    private Task<IReadOnlyList<AgentState>> AgentsTaggedAsync(string instance, string agentId) =>
        _host.Letta(instance).ListAgentsAsync(new ListAgentsQuery { Tags = [$"platform-agent:{Guid.Parse(agentId):N}"] }, CancellationToken);

    [Fact]
    public async Task CreateAgent_SeveralUsers_SpreadsAgentsOverHealthyInstancesOnly()
    {
        for (var i = 0; i < 6; i++)
        {
            await CreateAgentAsync();
        }

        var counts = await _host.WithDbAsync(db => db.AgentConfigs.GroupBy(a => a.LettaInstance)
            .ToDictionaryAsync(g => g.Key, g => g.Count(), CancellationToken));
        Assert.False(counts.ContainsKey("letta-down"));
        Assert.InRange(Math.Abs(counts.GetValueOrDefault("letta-a") - counts.GetValueOrDefault("letta-b")), 0, 1);
        Assert.True(counts.GetValueOrDefault("letta-a") >= 3 && counts.GetValueOrDefault("letta-b") >= 3);
    }

    [Fact]
    public async Task Metrics_AfterProvisioning_CountAgentsProvisionedAndPerInstance()
    {
        var provisioned = 0L;
        var perInstance = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == _host.Metrics.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "agentmanagement.agents.provisioned")
            {
                Interlocked.Add(ref provisioned, value);
            }
            else if (instrument.Name == "agentmanagement.agents.per_instance")
            {
                perInstance[(string)tags.ToArray().Single(t => t.Key == "letta.instance").Value!] = value;
            }
        });
        listener.Start();

        await CreateAgentAsync();
        await CreateAgentAsync();
        listener.RecordObservableInstruments();

        Assert.Equal(2, Interlocked.Read(ref provisioned));
        var counts = await _host.WithDbAsync(db => db.AgentConfigs.GroupBy(a => a.LettaInstance)
            .ToDictionaryAsync(g => g.Key, g => (long)g.Count(), CancellationToken));
        Assert.Equal(counts.GetValueOrDefault("letta-a"), perInstance["letta-a"]);
        Assert.Equal(counts.GetValueOrDefault("letta-b"), perInstance["letta-b"]);
        Assert.Equal(0, perInstance["letta-down"]);
    }

    [Fact]
    public async Task MoveAgent_ToTheOtherInstance_CarriesMemoryOverDeletesTheSourceAndPublishesAgentMigrated()
    {
        var (id, source, sourceAgentId, owner) = await CreateAgentAsync();
        var target = Other(source);
        await _host.Letta(source).ModifyAgentBlockAsync(sourceAgentId, "human", new BlockUpdate { Value = "Name: Grace. Prefers F#." }, CancellationToken);

        var moved = await Admin.PostObjectAsync($"/api/agents/{id}/move", new { targetInstance = target }, HttpStatusCode.OK);

        Assert.Equal(target, moved["lettaInstance"]!.GetValue<string>());
        var targetAgentId = moved["lettaAgentId"]!.GetValue<string>();
        Assert.Equal(targetAgentId, (await owner.GetObjectAsync($"/api/agents/{id}"))["lettaAgentId"]!.GetValue<string>());
        var copy = await _host.Letta(target).GetAgentAsync(targetAgentId, cancellationToken: CancellationToken);
        Assert.Equal("Name: Grace. Prefers F#.", copy.Blocks.Single(b => b.Label == "human").Value);
        Assert.Contains("template:code-assistant", copy.Tags);
        await Assert.ThrowsAsync<LettaNotFoundException>(() => _host.Letta(source).GetAgentAsync(sourceAgentId, cancellationToken: CancellationToken));
        var migrated = (await _host.OutboxBodiesAsync<AgentMigrated>())
            .Select(body => JsonSerializer.Deserialize<AgentMigrated>(body, JsonSerializerOptions.Web)!)
            .Single(m => m.AgentId == Guid.Parse(id));
        Assert.Equal(("moved", source, sourceAgentId, target, targetAgentId),
            (migrated.Reason, migrated.FromLettaInstance, migrated.FromLettaAgentId, migrated.ToLettaInstance, migrated.ToLettaAgentId));
    }

    [Fact]
    public async Task MoveAgent_SourceDeleteFails_RollsBackTheMappingAndRemovesTheImportedCopy()
    {
        var (id, source, sourceAgentId, owner) = await CreateAgentAsync();
        var target = Other(source);
        var sourcePort = Server(source).Endpoint.Port;
        _host.Faults.FailWhen = request => request.Method == HttpMethod.Delete && request.RequestUri!.Port == sourcePort;
        try
        {
            var problem = await Admin.ProblemAsync(HttpMethod.Post, $"/api/agents/{id}/move", new { targetInstance = target }, HttpStatusCode.BadGateway);
            Assert.Equal("letta_failed", problem["code"]!.GetValue<string>());
        }
        finally
        {
            _host.Faults.FailWhen = null;
        }

        var agent = await owner.GetObjectAsync($"/api/agents/{id}");
        Assert.Equal((source, sourceAgentId), (agent["lettaInstance"]!.GetValue<string>(), agent["lettaAgentId"]!.GetValue<string>()));
        await _host.Letta(source).GetAgentAsync(sourceAgentId, cancellationToken: CancellationToken);
        Assert.Empty(await AgentsTaggedAsync(target, id));
        Assert.DoesNotContain(await _host.OutboxBodiesAsync<AgentMigrated>(), body => body.Contains(id));
    }

    [Fact]
    public async Task MoveAgent_ImportFails_LeavesTheAgentWhereItWas()
    {
        var (id, source, sourceAgentId, owner) = await CreateAgentAsync();
        var target = Other(source);
        await Server(target).FailNextAsync(1, 503);

        await Admin.ProblemAsync(HttpMethod.Post, $"/api/agents/{id}/move", new { targetInstance = target }, HttpStatusCode.BadGateway);

        var agent = await owner.GetObjectAsync($"/api/agents/{id}");
        Assert.Equal((source, sourceAgentId), (agent["lettaInstance"]!.GetValue<string>(), agent["lettaAgentId"]!.GetValue<string>()));
        await _host.Letta(source).GetAgentAsync(sourceAgentId, cancellationToken: CancellationToken);
        Assert.Empty(await AgentsTaggedAsync(target, id));
    }

    [Fact]
    public async Task MoveAgent_BadTargetsOrNotAdmin_AreRefusedWithoutChange()
    {
        var (id, source, sourceAgentId, owner) = await CreateAgentAsync();

        var unknown = await Admin.ProblemAsync(HttpMethod.Post, $"/api/agents/{id}/move", new { targetInstance = "letta-z" }, HttpStatusCode.BadRequest);
        var down = await Admin.ProblemAsync(HttpMethod.Post, $"/api/agents/{id}/move", new { targetInstance = "letta-down" }, HttpStatusCode.BadRequest);
        await Admin.ProblemAsync(HttpMethod.Post, $"/api/agents/{id}/move", new { targetInstance = source }, HttpStatusCode.BadRequest);
        await Admin.ProblemAsync(HttpMethod.Post, $"/api/agents/{id}/move", new { }, HttpStatusCode.BadRequest);
        await Admin.ProblemAsync(HttpMethod.Post, $"/api/agents/{Guid.NewGuid()}/move", new { targetInstance = Other(source) }, HttpStatusCode.NotFound);
        await owner.ProblemAsync(HttpMethod.Post, $"/api/agents/{id}/move", new { targetInstance = Other(source) }, HttpStatusCode.Forbidden);

        Assert.NotNull(unknown["errors"]!["targetInstance"]);
        Assert.Contains("not healthy", down["errors"]!["targetInstance"]![0]!.GetValue<string>());
        var agent = await owner.GetObjectAsync($"/api/agents/{id}");
        Assert.Equal((source, sourceAgentId), (agent["lettaInstance"]!.GetValue<string>(), agent["lettaAgentId"]!.GetValue<string>()));
    }
}
