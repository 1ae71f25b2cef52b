using Segel.Core.Storage;

namespace Segel.Core.Ca;

/// <summary>
/// Segel's own authorities as adapters see them: certificates to publish and to show, never their keys (those
/// stay in the internal <see cref="AuthorityRing"/>, used only by the services that sign).
/// </summary>
public sealed class Authorities
{
    /// <summary>The names (slugs) Segel gives its authorities: in URLs (<c>/crl/issuing-ca.crl</c>) and on the console.</summary>
    public const string RootSlug = "root-ca", IssuingSlug = "issuing-ca", OcspSlug = "ocsp-responder", TsaSlug = "tsa";

    private readonly AuthorityRing _ring;

    internal Authorities(AuthorityRing ring) => _ring = ring;

    public Task<bool> IsInitializedAsync(CancellationToken cancellationToken = default) => _ring.IsInitializedAsync(cancellationToken);

    /// <summary>The active authority in <paramref name="role"/>; a clear error when the CA is not initialised.</summary>
    public Task<LoadedAuthority> GetActiveAsync(AuthorityRole role, CancellationToken cancellationToken = default) => _ring.GetActiveAsync(role, cancellationToken);

    public Task<LoadedAuthority?> FindBySlugAsync(string slug, CancellationToken cancellationToken = default) => _ring.FindBySlugAsync(slug, cancellationToken);

    public Task<IReadOnlyList<LoadedAuthority>> GetAllAsync(CancellationToken cancellationToken = default) => _ring.GetAllAsync(cancellationToken);

    /// <summary>The active issuing CA's chain up to its root — Segel's own, or the outside one it stands under — issuing CA first.</summary>
    public async Task<IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2>> ChainAsync(CancellationToken cancellationToken = default) =>
        await _ring.ChainFromAsync((await _ring.GetActiveAsync(AuthorityRole.IssuingCa, cancellationToken)).Id, cancellationToken);

    /// <summary>The CAs that issue certificates and CRLs (root and issuing).</summary>
    public Task<IReadOnlyList<LoadedAuthority>> GetIssuersAsync(CancellationToken cancellationToken = default) => _ring.GetIssuersAsync(cancellationToken);

    /// <summary>Forget what was read, so the next use sees authorities another node or process added.</summary>
    public void Reload() => _ring.Reset();
}
