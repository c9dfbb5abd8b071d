using System.Text;
using System.Text.Json.Nodes;

namespace LettaPlatform.Gateway.Tests;

/// <summary>The dev-token route issues tokens only for user ids every service can store, and refuses unreadable bodies with a problem.</summary>
public sealed class DevTokenInputTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"userId":"a\u0000b"}""", "validation_failed")]
    [InlineData("""{"userId":"tab\tid"}""", "validation_failed")]
    [InlineData("""{"userId":"   "}""", "validation_failed")]
    [InlineData("""{"userId":5}""", "malformed_request")]
    [InlineData("""{"userId":"\ud800"}""", "malformed_request")]
    [InlineData("{", "malformed_request")]
    [InlineData("null", "malformed_request")]
    [InlineData("[]", "malformed_request")]
    public async Task DevToken_UnusableUserIdOrBody_Answers400ProblemWithCode(string body, string code)
    {
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayFactory(backend, "Development");
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync("/api/auth/dev-token", new StringContent(body, Encoding.UTF8, "application/json"), Token);

        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.True(problem["code"]!.GetValue<string>() is var actual && (actual == code || (code == "validation_failed" && actual == "unstorable_text")), text);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
    }

    [Theory]
    [InlineData(255, HttpStatusCode.OK)]
    [InlineData(256, HttpStatusCode.BadRequest)]
    public async Task DevToken_UserIdLength_UpTo255Accepted(int length, HttpStatusCode expected)
    {
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayFactory(backend, "Development");
        using var client = gateway.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/auth/dev-token", new { userId = new string('u', length) }, Token);

        Assert.Equal(expected, response.StatusCode);
    }
}
