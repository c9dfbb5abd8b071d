using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.ServiceDefaults.Messaging.Outbox;

/// <summary>Wakes the relay of <typeparamref name="TContext"/> when a commit has put messages in its outbox.</summary>
public sealed class OutboxSignal<TContext> where TContext : DbContext
{
    // One pending wake-up is enough: the relay drains everything committed when it runs.
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
