using LettaPlatform.Contracts.AgentManagement;

namespace LettaPlatform.AgentManagement.Client.Tests;

public sealed class AgentDirectoryClientTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private DirectoryHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await DirectoryHost.StartAsync(infrastructure);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FindAsync_KnownAgentTwice_AsksAgentManagementOnce()
    {
        var agent = _host.Know(NewUser());

        var first = await _host.WithClientAsync(c => c.FindAsync(agent.UserId, agent.AgentId, Ct));
        var second = await _host.WithClientAsync(c => c.FindAsync(agent.UserId, agent.AgentId, Ct));

        Assert.Equal(agent.LettaAgentId, first?.LettaAgentId);
        Assert.Equal(agent.LettaAgentId, second?.LettaAgentId);
        Assert.Equal(agent.Tools.Select(t => t.Name), second!.Tools.Select(t => t.Name));
        Assert.Equal(1, _host.RequestsFor(agent.AgentId));
    }

    [Fact]
    public async Task FindAsync_AgentOfAnotherUser_IsNullEvenWhenTheAnswerNamesIt()
    {
        var agent = _host.Know(NewUser());
        var stranger = NewUser();

        var found = await _host.WithClientAsync(c => c.FindAsync(stranger, agent.AgentId, Ct));
        var owners = await _host.WithClientAsync(c => c.FindAsync(agent.UserId, agent.AgentId, Ct));

        Assert.Null(found);
        Assert.NotNull(owners);
    }

    [Fact]
    public async Task FindAsync_UnknownAgentTwice_CachesTheNotFound()
    {
        var user = NewUser();
        var agentId = Guid.NewGuid();

        Assert.Null(await _host.WithClientAsync(c => c.FindAsync(user, agentId, Ct)));
        _host.Agents[agentId] = DirectoryHost.Agent(agentId, user);
        Assert.Null(await _host.WithClientAsync(c => c.FindAsync(user, agentId, Ct)));

        Assert.Equal(1, _host.RequestsFor(agentId));
    }

    [Fact]
    public async Task FindAsync_UnknownAgentWithNotFoundNotCached_AsksAgainAndFindsItOnceItExists()
    {
        await using var host = await DirectoryHost.StartAsync(infrastructure, new Dictionary<string, string?> { ["AgentDirectory:NotFoundCacheDuration"] = "00:00:00" });
        var user = NewUser();
        var agentId = Guid.NewGuid();

        Assert.Null(await host.WithClientAsync(c => c.FindAsync(user, agentId, Ct)));
        host.Agents[agentId] = DirectoryHost.Agent(agentId, user);
        var found = await host.WithClientAsync(c => c.FindAsync(user, agentId, Ct));

        Assert.Equal(agentId, found?.AgentId);
        Assert.Equal(2, host.RequestsFor(agentId));
    }

    [Fact]
    public async Task FindAsync_AgentManagementSilent_ThrowsUnavailableAndCachesNothing()
    {
        var agent = _host.Know(NewUser());
        _host.Silent[agent.AgentId] = true;

        await Assert.ThrowsAsync<AgentManagementUnavailableException>(() => _host.WithClientAsync(c => c.FindAsync(agent.UserId, agent.AgentId, Ct)));
        _host.Silent.TryRemove(agent.AgentId, out _);
        var found = await _host.WithClientAsync(c => c.FindAsync(agent.UserId, agent.AgentId, Ct));

        Assert.Equal(agent.AgentId, found?.AgentId);
        Assert.Equal(2, _host.RequestsFor(agent.AgentId));
    }

    [Fact]
    public async Task FindAsync_AgentManagementFailing_ThrowsUnavailable()
    {
        var agent = _host.Know(NewUser());
        _host.Failing[agent.AgentId] = true;

        var thrown = await Assert.ThrowsAsync<AgentManagementUnavailableException>(() => _host.WithClientAsync(c => c.FindAsync(agent.UserId, agent.AgentId, Ct)));

        Assert.IsType<MassTransit.RequestFaultException>(thrown.InnerException);
    }

    [Fact]
    public async Task ForgetAsync_CachedAgent_NextLookupAsksAgainAndSeesTheChange()
    {
        var agent = await KnownAndCachedAsync();
        var moved = ElsewhereInLetta(agent);
        _host.Agents[agent.AgentId] = moved;

        await _host.ForgetAsync(agent.UserId, agent.AgentId);
        var found = await _host.WithClientAsync(c => c.FindAsync(agent.UserId, agent.AgentId, Ct));

        Assert.Equal(moved.LettaAgentId, found?.LettaAgentId);
        Assert.Equal(2, _host.RequestsFor(agent.AgentId));
    }

    [Fact]
    public async Task ResolveByTemplateAsync_ProvisionedAgent_IsCachedUnderItsId()
    {
        var user = NewUser();
        var agent = DirectoryHost.Agent(Guid.NewGuid(), user, "writer");
        _host.ByTemplate[(user, "writer")] = agent;

        var resolved = await _host.WithClientAsync(c => c.ResolveByTemplateAsync(user, "writer", null, Ct));
        var found = await _host.WithClientAsync(c => c.FindAsync(user, agent.AgentId, Ct));

        Assert.Equal(agent.AgentId, resolved?.AgentId);
        Assert.Equal(agent.LettaAgentId, found?.LettaAgentId);
        Assert.Equal(0, _host.RequestsFor(agent.AgentId));
    }

    [Fact]
    public async Task ResolveByTemplateAsync_UnknownTemplate_IsNull()
    {
        Assert.Null(await _host.WithClientAsync(c => c.ResolveByTemplateAsync(NewUser(), "no-such-template", null, Ct)));
    }

    [Fact]
    public async Task ResolveMissingAsync_CachedAgent_AsksPastTheCacheAndCachesTheNewLettaAgent()
    {
        var agent = await KnownAndCachedAsync();
        var reprovisioned = ElsewhereInLetta(agent);
        _host.Reprovisioned[agent.AgentId] = reprovisioned;

        var resolved = await _host.WithClientAsync(c => c.ResolveMissingAsync(agent.UserId, agent.AgentId, Ct));
        var found = await _host.WithClientAsync(c => c.FindAsync(agent.UserId, agent.AgentId, Ct));

        Assert.Equal(reprovisioned.LettaAgentId, resolved?.LettaAgentId);
        Assert.Equal(reprovisioned.LettaAgentId, found?.LettaAgentId);
        Assert.Equal([false, true], _host.Requests.Where(r => r.AgentId == agent.AgentId).Select(r => r.LettaAgentMissing));
    }

    private static string NewUser() => $"user:{Guid.NewGuid():N}";

    private static AgentResolved ElsewhereInLetta(AgentResolved agent) => agent with { LettaAgentId = $"agent-{Guid.NewGuid()}" };

    /// <summary>An agent agent-management knows, already looked up once (so cached).</summary>
    private async Task<AgentResolved> KnownAndCachedAsync()
    {
        var agent = _host.Know(NewUser());
        Assert.NotNull(await _host.WithClientAsync(c => c.FindAsync(agent.UserId, agent.AgentId, Ct)));
        return agent;
    }
}
