using System.Threading.Channels;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>Wakes the <see cref="RolloutWorker"/> when a request has created rollout work.</summary>
public sealed class RolloutSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Returns when notified, after <paramref name="timeout"/>, or on cancellation; never throws.</summary>
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
