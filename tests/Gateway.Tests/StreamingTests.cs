namespace LettaPlatform.Gateway.Tests;

public sealed class StreamingTests
{
    [Fact]
    public async Task EventStream_ThroughGateway_ArrivesEventByEventWhileBackendHoldsResponseOpen()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend);
        using var client = gateway.CreateClientFor("alice");

        using var request = new HttpRequestMessage(HttpMethod.Post, FakeBackend.StreamPath) { Content = JsonContent.Create(new { content = "hi" }) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));

        // The backend sends the second event only after this test has read the first; a buffering
        // gateway would hold the first back and this read would time out.
        var first = await ReadEventAsync(reader).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        var finishedBeforeFirstEventRead = backend.StreamFinished;
        backend.ReleaseStream.SetResult();
        var second = await ReadEventAsync(reader).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.False(finishedBeforeFirstEventRead);
        Assert.Contains("event: assistant", first, StringComparison.Ordinal);
        Assert.Contains("event: done", second, StringComparison.Ordinal);
        Assert.True(backend.StreamFinished);
    }

    private static async Task<string> ReadEventAsync(StreamReader reader)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                break;
            }

            lines.Add(line);
        }

        return string.Join('\n', lines);
    }
}
