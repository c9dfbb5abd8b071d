using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LettaPlatform.AgentManagement.Api.Tests.TestHost;

namespace LettaPlatform.AgentManagement.Api.Tests;

/// <summary>Bad agent input is a 400 problem that provisions nothing; a 255-character sub works.</summary>
public sealed class HardeningTests(InfrastructureFixture infrastructure, LettaDevServer lettaDev) : SingleInstanceTests(infrastructure, lettaDev)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"templateId":"code-assistant","projectId":"a\u0000b"}""")]
    [InlineData("""{"templateId":"code\u0000"}""")]
    [InlineData("""{"templateId":5}""")]
    [InlineData("""123""")]
    [InlineData("""{""")]
    public async Task CreateAgent_BadBody_Answers400AndProvisionsNothing(string body)
    {
        var user = NewUser();
        var client = Host.ClientFor(user);

        using var response = await client.PostAsync("/api/agents", new StringContent(body, Encoding.UTF8, "application/json"), Token);
        var list = await client.GetFromJsonAsync<JsonObject>("/api/agents", Token);

        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(JsonNode.Parse(text)!["code"]?.GetValue<string>()));
        Assert.Empty(list!["items"]!.AsArray());
    }

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("limit=0")]
    [InlineData("cursor=bad")]
    public async Task ListAgents_BadQuery_Answers400(string query)
    {
        using var response = await Host.ClientFor(NewUser()).GetAsync($"/api/agents?{query}", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CreateAgent_SubjectOf255Characters_Provisions()
    {
        var user = NewUser();
        user += new string('q', 255 - user.Length);

        using var response = await Host.ClientFor(user).PostAsJsonAsync("/api/agents", new { templateId = "code-assistant" }, Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
