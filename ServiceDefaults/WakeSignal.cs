using System.Threading.Channels;

namespace LettaPlatform.ServiceDefaults;

/// <summary>
/// Wakes the background worker <typeparamref name="TWorker"/> when a request has made work for it, so the
/// work starts at once instead of at the worker's next poll. The type parameter only tells the singletons
/// apart: each worker has a signal of its own (the outbox relay of each DbContext, the rollout worker).
/// </summary>
public sealed class WakeSignal<TWorker>
{
    // One pending wake-up is enough: the worker takes all the work there is whenever it runs.
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Returns when notified, after <paramref name="timeout"/> or on cancellation, whichever comes first; never throws.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
