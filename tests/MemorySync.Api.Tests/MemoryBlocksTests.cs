using System.Net;
using System.Text.Json;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.MemorySync.Api.Tests;

[Collection(MemorySyncCollection.Name)]
public sealed class MemoryBlocksTests(MemorySyncFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    [Fact]
    public async Task Provisioning_AgentProvisionedEvent_RecordsInitialBlocksAsSystemVersions()
    {
        var agent = await Host.ProvisionAgentAsync(NewUser());
        using var client = Host.CreateClient(agent.UserId);

        var blocks = await (await client.GetAsync(agent.BlocksPath, Ct)).ReadAsync<List<Block>>();

        Assert.Equal(["human", "persona"], blocks.Select(b => b.Label));
        Assert.All(blocks, b => Assert.Equal((1, "system", "synced"), (b.Version, b.UpdatedBy, b.SyncState)));
        Assert.Equal(TestAgent.Human, blocks[0].Value);
        Assert.Equal(500, blocks[0].Limit);
    }

    [Fact]
    public async Task Put_WithCurrentVersion_StoresUserVersionPushesToLettaAndPublishes()
    {
        var agent = await Host.ProvisionAgentAsync(NewUser());
        using var client = Host.CreateClient(agent.UserId);
        using var get = await client.GetAsync($"{agent.BlocksPath}/human", Ct);
        Assert.Equal("\"1\"", get.Headers.ETag?.Tag);

        const string value = "The user's name is Alice.\nShe prefers tabs.";
        using var put = await client.PutBlockAsync(agent, "human", value, "\"1\"");
        var block = await put.ReadAsync<Block>();

        Assert.Equal((2, "user", "synced", value), (block.Version, block.UpdatedBy, block.SyncState, block.Value));
        Assert.Equal("\"2\"", put.Headers.ETag?.Tag);
        Assert.Equal(value, (await Host.Letta("letta").GetAgentBlockAsync(agent.LettaAgentId, "human", Ct)).Value);

        var history = await client.GetHistoryAsync(agent, "human");
        Assert.Equal([(2, "user"), (1, "system")], history.Select(v => (v.Version, v.Author)));

        var published = (await Host.QueryAsync(db => db.Set<OutboxMessage>()
            .Where(m => m.MessageType.Contains("MemoryBlockChanged"))
            .Select(m => m.Body).ToListAsync(Ct)))
            .Select(body => JsonSerializer.Deserialize<MemoryBlockChanged>(body, JsonSerializerOptions.Web)!)
            .Where(m => m.AgentId == agent.Id && m.Label == "human" && m.Version == 2)
            .ToList();
        Assert.Contains(published, m => m is { Author: "user", SyncState: "pending" });
        Assert.Contains(published, m => m is { Author: "user", SyncState: "synced" });
        Assert.All(published, m => Assert.Equal(agent.UserId, m.UserId));
    }

    [Fact]
    public async Task Put_WithStaleIfMatch_Answers412AndChangesNothing()
    {
        var agent = await Host.ProvisionAgentAsync(NewUser());
        using var client = Host.CreateClient(agent.UserId);
        (await client.PutBlockAsync(agent, "human", "first edit", "\"1\"")).EnsureSuccessStatusCode();

        var problem = await (await client.PutBlockAsync(agent, "human", "edit based on version 1", "\"1\"")).ReadProblemAsync(HttpStatusCode.PreconditionFailed);

        Assert.Equal("stale_version", problem.Code);
        Assert.Equal("first edit", (await client.GetBlockAsync(agent, "human")).Value);
        Assert.Equal("first edit", (await Host.Letta("letta").GetAgentBlockAsync(agent.LettaAgentId, "human", Ct)).Value);
    }

    [Fact]
    public async Task Put_WithoutIfMatch_Answers428()
    {
        var agent = await Host.ProvisionAgentAsync(NewUser());
        using var client = Host.CreateClient(agent.UserId);

        var problem = await (await client.PutBlockAsync(agent, "human", "no precondition", ifMatch: null)).ReadProblemAsync(HttpStatusCode.PreconditionRequired);

        Assert.Equal("if_match_required", problem.Code);
        Assert.Equal(1, (await client.GetBlockAsync(agent, "human")).Version);
    }

    [Theory]
    [InlineData("My OpenAI key is sk-proj-abcdefghijklmnopqrstuvwxyz123456", "API key")]
    [InlineData("token ghp_0123456789abcdefghijABCDEFGHIJ012345", "GitHub token")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "fine-grained")]
    [InlineData("aws AKIAIOSFODNN7EXAMPLE", "AWS access key")]
    [InlineData("Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789", "bearer token")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "private key")]
    public async Task Put_WithSecret_Answers422WithReasonAndStoresNothing(string value, string reason)
    {
        var agent = await Host.ProvisionAgentAsync(NewUser());
        using var client = Host.CreateClient(agent.UserId);

        var problem = await (await client.PutBlockAsync(agent, "human", value, "\"1\"")).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        var messages = Assert.Contains("value", problem.Errors!);
        Assert.Contains(messages, m => m.Contains(reason, StringComparison.OrdinalIgnoreCase));
        Assert.Single(await client.GetHistoryAsync(agent, "human"));
        Assert.Equal(TestAgent.Human, (await Host.Letta("letta").GetAgentBlockAsync(agent.LettaAgentId, "human", Ct)).Value);
    }

    [Fact]
    public async Task Put_OverLimit_Answers422NamingTheLimit()
    {
        var agent = await Host.ProvisionAgentAsync(NewUser(), humanLimit: 40);
        using var client = Host.CreateClient(agent.UserId);

        var problem = await (await client.PutBlockAsync(agent, "human", new string('x', 41), "\"1\"")).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains(problem.Errors!["value"], m => m.Contains("limit is 40"));
        (await client.PutBlockAsync(agent, "human", new string('x', 40), "\"1\"")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Put_WithControlCharacterOrUnknownLabel_Answers422()
    {
        var agent = await Host.ProvisionAgentAsync(NewUser());
        using var client = Host.CreateClient(agent.UserId);

        var control = await (await client.PutBlockAsync(agent, "human", "bell\u0007 here", "\"1\"")).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        var label = await (await client.PutBlockAsync(agent, "secrets", "new block", "\"1\"")).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains(control.Errors!["value"], m => m.Contains("U+0007"));
        Assert.Contains(label.Errors!["label"], m => m.Contains("human, persona"));
        (await client.PutBlockAsync(agent, "human", "lines\nand\ttabs are fine", "\"1\"")).EnsureSuccessStatusCode();
    }

    private static string NewUser() => $"user-{Guid.NewGuid():N}";
}
