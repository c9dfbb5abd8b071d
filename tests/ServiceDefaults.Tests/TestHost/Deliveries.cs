using System.Collections.Concurrent;

namespace LettaPlatform.ServiceDefaults.Tests.TestHost;

public sealed record Delivery<T>(Guid? MessageId, T Message, bool Applied);

/// <summary>What a test host's consumer received, for the test to wait on.</summary>
public sealed class Deliveries<T>
{
    private readonly ConcurrentQueue<Delivery<T>> _received = new();

    public IReadOnlyList<Delivery<T>> All => [.. _received];

    public void Add(Guid? messageId, T message, bool applied = true) => _received.Enqueue(new Delivery<T>(messageId, message, applied));

    public async Task<IReadOnlyList<Delivery<T>>> WaitForAsync(Func<T, bool> predicate, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var matching = _received.Where(d => predicate(d.Message)).ToList();
            if (matching.Count >= count || DateTime.UtcNow >= deadline)
            {
                return matching;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
