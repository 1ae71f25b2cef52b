namespace Segel.Core.Signing;

/// <summary>
/// Parsing, verifying and signing a PDF is work for a processor and memory for as long as it lasts. Anyone may upload a
/// PDF to the public verification page, so a node does at most a few at once (one per processor by default) and the
/// rest wait their turn: memory stays bounded by that number times a document's decompression budget, however many
/// hostile uploads arrive together.
/// </summary>
public sealed class PdfWorkGate : IDisposable
{
    private readonly SemaphoreSlim _slots;

    public PdfWorkGate(int workers)
    {
        Workers = workers > 0 ? workers : Environment.ProcessorCount;
        _slots = new SemaphoreSlim(Workers, Workers);
    }

    public int Workers { get; }

    /// <summary>Waiting now for a turn (for the metrics).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    private int _waiting;

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        Interlocked.Increment(ref _waiting);
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        try
        {
            return await work();
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
