namespace LettaPlatform.LettaDev.Engine;

/// <summary>Makes the next N <c>/v1</c> requests fail with a chosen status, to exercise clients' retries.</summary>
public sealed class FailureInjector
{
    private int _remaining;
    private int _status = StatusCodes.Status503ServiceUnavailable;

    public void Arm(int count, int status)
    {
        Volatile.Write(ref _status, status);
        Interlocked.Exchange(ref _remaining, count);
    }

    public bool TryTake(out int status)
    {
        status = Volatile.Read(ref _status);
        while (true)
        {
            var remaining = Volatile.Read(ref _remaining);
            if (remaining <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _remaining, remaining - 1, remaining) == remaining)
            {
                return true;
            }
        }
    }
}
