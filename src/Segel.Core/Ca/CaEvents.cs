namespace Segel.Core.Ca;

/// <summary>
/// Tells this process's caches that certificate status changed. Other nodes learn it from the database
/// (see the server's revocation watcher).
/// </summary>
public sealed class CaEvents
{
    public event EventHandler<StatusChangedEventArgs>? StatusChanged;

    public void RaiseStatusChanged(string issuerSlug) => StatusChanged?.Invoke(this, new StatusChangedEventArgs(issuerSlug));
}

public sealed class StatusChangedEventArgs(string issuerSlug) : EventArgs
{
    public string IssuerSlug { get; } = issuerSlug;
}
