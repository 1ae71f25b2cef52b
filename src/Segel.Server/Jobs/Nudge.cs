namespace Segel.Server.Jobs;

/// <summary>
/// What a queue-draining job waits on between rounds: a nudge from this node (work was just queued here) or its poll
/// interval (work other nodes queued, or retries), whichever comes first.
/// </summary>
internal sealed class Nudge : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);
    private Task? _waiting;

    public void Release() => _signal.Release();

    public async Task WaitAsync(TimeSpan poll, TimeProvider clock, CancellationToken cancellationToken)
    {
        // One wait for the signal at a time: a wait that lost the race to the timer is kept, or it would swallow the next nudge.
        _waiting ??= _signal.WaitAsync(cancellationToken);
        using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (await Task.WhenAny(_waiting, Task.Delay(poll, clock, tick.Token)) == _waiting)
        {
            _waiting = null;
        }
        await tick.CancelAsync();
    }

    public void Dispose() => _signal.Dispose();
}
