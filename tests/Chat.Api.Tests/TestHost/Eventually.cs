namespace LettaPlatform.Chat.Api.Tests.TestHost;

public static class Eventually
{
    /// <summary>Polls until <paramref name="probe"/> gives a value (messages cross the broker asynchronously).</summary>
    public static Task<T> GetAsync<T>(Func<T?> probe, double seconds = 15) where T : class =>
        GetAsync(() => Task.FromResult(probe()), seconds);

    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, double seconds = 15) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "The expected value did not appear in time.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
