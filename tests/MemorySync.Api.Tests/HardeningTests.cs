using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace LettaPlatform.MemorySync.Api.Tests;

/// <summary>Memory writes refuse weak ETags and unstorable text; history pages like every other list.</summary>
[Collection(MemorySyncCollection.Name)]
public sealed class HardeningTests(MemorySyncFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    [Theory]
    [InlineData("W/\"1\"")]
    [InlineData("\"1\", W/\"1\"")]
    public async Task Put_WeakIfMatch_Answers412AndChangesNothing(string ifMatch)
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);

        using var response = await client.PutBlockAsync(agent, "human", "changed", ifMatch);
        var block = await client.GetBlockAsync(agent, "human");

        await response.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal((1, TestAgent.Human), (block.Version, block.Value));
    }

    [Theory]
    [InlineData("limit=-1")]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("limit=abc")]
    [InlineData("cursor=junk")]
    [InlineData("cursor=AQAAAA==")]
    public async Task History_BadLimitOrCursor_Answers400(string query)
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);

        using var response = await client.GetAsync($"{agent.BlocksPath}/human/history?{query}", Ct);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrWhiteSpace(problem.Code));
    }

    [Theory]
    [InlineData("PUT", "/human", """{"value":"a\u0000b"}""")]
    [InlineData("POST", "/human/rollback", """{"version":"1"}""")]
    [InlineData("POST", "/human/rollback", """{"version":1.5}""")]
    [InlineData("GET", "/human/diff", null)]
    [InlineData("GET", "/human/diff?from=a&to=2", null)]
    public async Task BadInput_Answers400AndChangesNothing(string method, string path, string? body)
    {
        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        using var request = new HttpRequestMessage(new HttpMethod(method), agent.BlocksPath + path)
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        using var response = await client.SendAsync(request, Ct);
        var block = await client.GetBlockAsync(agent, "human");

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrWhiteSpace(problem.Code));
        Assert.Equal(1, block.Version);
    }
}
