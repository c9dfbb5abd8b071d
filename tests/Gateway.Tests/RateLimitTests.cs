namespace LettaPlatform.Gateway.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Requests_OverPerUserLimit_Return429WithRetryAfterForThatUserOnly()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var backend = await FakeBackend.StartAsync();
        await using var gateway = new GatewayHost(backend, settings: new Dictionary<string, string>
        {
            ["RateLimiting:PermitLimit"] = "2",
            ["RateLimiting:Window"] = "00:01:00",
        });
        using var alice = gateway.CreateClientFor("alice");
        using var bob = gateway.CreateClientFor("bob");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await alice.GetAsync("/api/tools", cancellationToken);
            statuses.Add(allowed.StatusCode);
        }

        using var limited = await alice.GetAsync("/api/tools", cancellationToken);
        statuses.Add(limited.StatusCode);

        using var bobResponse = await bob.GetAsync("/api/tools", cancellationToken);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.InRange(limited.Headers.RetryAfter.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, bobResponse.StatusCode);
    }
}
