using Segel.Pki.Ocsp;

namespace Segel.Core.Ca;

/// <summary>
/// Holds the OCSP responder for this node: one authority per issuing CA, each with the active delegated
/// responder that CA certified. Any status change anywhere empties its cache.
/// </summary>
public sealed class OcspService : IDisposable
{
    private readonly OcspResponders _responders;
    private readonly CaEvents _events;
    private readonly StatusSnapshots _statuses;
    private readonly SemaphoreSlim _building = new(1, 1);
    private OcspResponder? _responder;

    internal OcspService(OcspResponders responders, StatusSnapshots statuses, CaEvents events)
    {
        _responders = responders;
        _statuses = statuses;
        _events = events;
        _events.StatusChanged += OnStatusChanged;
    }

    public async ValueTask<OcspAnswer> RespondAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        OcspResponder responder = _responder ?? await BuildAsync(cancellationToken);
        return await responder.RespondAsync(request, cancellationToken);
    }

    /// <summary>Forget all signed responses and statuses (another node or process changed certificate status).</summary>
    public void Invalidate()
    {
        // The tables first: a request that reads the responder's new generation must not find the old tables current.
        _statuses.Invalidate();
        _responder?.Invalidate();
    }

    /// <summary>Rebuild from the authorities (after a responder certificate was renewed).</summary>
    public void Reload() => _responder = null;

    private async Task<OcspResponder> BuildAsync(CancellationToken cancellationToken)
    {
        await _building.WaitAsync(cancellationToken);
        try
        {
            if (_responder is not null)
            {
                return _responder;
            }
            _responder = await _responders.BuildAsync(cancellationToken);
            return _responder;
        }
        finally
        {
            _building.Release();
        }
    }

    private void OnStatusChanged(object? sender, StatusChangedEventArgs e) => Invalidate();

    public void Dispose()
    {
        _events.StatusChanged -= OnStatusChanged;
        _building.Dispose();
    }
}
