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
        await using var gateway = new GatewayHost(backend, "Development");
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
        await using var gateway = new GatewayHost(backend, "Development");
        using var client = gateway.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/auth/dev-token", new { userId = new string('u', length) }, Token);

        Assert.Equal(expected, response.StatusCode);
    }
}

/// <summary>A header the gateway cannot forward is a 400 problem, not a 502.</summary>
public sealed class HeaderInputTests
{
    [Fact]
    public async Task LastEventId_WithNonAsciiByte_Answers400Problem()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend, "Development");
        using var client = gateway.CreateClientFor("alice");
        var address = client.BaseAddress!;

        // HttpClient refuses to send such a header, so the request is written by hand, as an attacker would.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, cancellationToken);
        var stream = tcp.GetStream();
        var head = Encoding.ASCII.GetBytes(
            $"GET /api/chat/sessions/{Guid.NewGuid()}/stream HTTP/1.1\r\nHost: {address.Authority}\r\n"
            + $"Authorization: {client.DefaultRequestHeaders.Authorization}\r\nConnection: close\r\nLast-Event-ID: 1-");
        await stream.WriteAsync(head, cancellationToken);
        await stream.WriteAsync(new byte[] { 0xC3, 0xA9 }, cancellationToken);
        await stream.WriteAsync("\r\n\r\n"u8.ToArray(), cancellationToken);
        var answer = await new StreamReader(stream).ReadToEndAsync(cancellationToken);

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", answer, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"invalid_header\"", answer, StringComparison.Ordinal);
    }
}

/// <summary>
/// A NUL in the query is refused with a problem body, before it is forwarded. (A %00 in the path is
/// refused by Kestrel itself while parsing the request line, with an empty 400, before any middleware.)
/// </summary>
public sealed class QueryInputTests
{
    [Theory]
    [InlineData("/api/tasks?projectId=%00")]
    [InlineData("/api/chat/sessions?cursor=a%00")]
    public async Task Nul_InQuery_Answers400ProblemWithBody(string path)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend, "Development");
        using var client = gateway.CreateClientFor("alice");

        using var response = await client.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, body);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unstorable_text", JsonNode.Parse(body)!["code"]!.GetValue<string>());
    }
}
