using Segel.Pki.Ocsp;
using Segel.Pki.Validation;

namespace Segel.Core.Ca;

/// <summary>Revocation status from this Segel CA's own database, in-process: its OCSP responder and latest CRLs.</summary>
public sealed class LocalRevocation
{
    // One client for the process: a client per verification would leave sockets behind on a busy public page.
    internal static readonly HttpClient OutsideHttp = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    private readonly OcspResponders _responders;
    private readonly AuthorityRing _ring;
    private readonly CrlPublisher _crls;

    internal LocalRevocation(OcspResponders responders, AuthorityRing ring, CrlPublisher crls)
    {
        _responders = responders;
        _ring = ring;
        _crls = crls;
    }

    /// <summary>
    /// What a verifying command asks: with --data the local CA for its own certificates and, unless --offline, the URLs in
    /// an outside CA's; without it nothing with --offline, else the URLs in the certificates.
    /// </summary>
    public static async Task<IRevocationSource?> ForVerificationAsync(LocalRevocation? local, bool offline, CancellationToken cancellationToken) =>
        local is not null ? await local.CreateAsync(offline ? null : new HttpRevocationSource(), cancellationToken) : offline ? null : new HttpRevocationSource();

    public Task<IRevocationSource> CreateAsync(CancellationToken cancellationToken) => CreateAsync(null, cancellationToken);

    /// <summary>
    /// Segel's own responder and CRLs for the certificates its CAs issued; <paramref name="outside"/> (if any) for those of
    /// another CA (an outside trust anchor's). Missing issuers are never fetched through it. The status of Segel's own
    /// issuing CA under an outside root is that root's to give: its OCSP responder or CRL is asked, outside or not,
    /// because the installation stands under it.
    /// </summary>
    public async Task<IRevocationSource> CreateAsync(IRevocationSource? outside, CancellationToken cancellationToken)
    {
        OcspResponder responder = await _responders.BuildAsync(cancellationToken);
        IReadOnlyList<LoadedAuthority> authorities = await _ring.GetAllAsync(cancellationToken);
        LoadedAuthority? Known(System.Security.Cryptography.X509Certificates.X509Certificate2 issuer) =>
            authorities.FirstOrDefault(a => a.Certificate.Thumbprint == issuer.Thumbprint);
        IRevocationSource? upstream = authorities.Any(a => !a.HasKey) ? outside ?? new HttpRevocationSource(OutsideHttp) : outside;
        IRevocationSource? Elsewhere(System.Security.Cryptography.X509Certificates.X509Certificate2 issuer) => Known(issuer) is not null ? upstream : outside;
        return new DelegateRevocationSource(
            async (certificate, issuer, token) => Known(issuer) is { HasKey: true }
                ? (await responder.RespondAsync(OcspRequests.Create(certificate, issuer), token)).Body
                : Elsewhere(issuer) is { } source ? await source.FetchOcspAsync(certificate, issuer, token) : null,
            async (certificate, issuer, token) => Known(issuer) is { HasKey: true } authority
                ? (await _crls.GetLatestAsync(authority.Record.Id, token) ?? await _crls.PublishAsync(authority, cancellationToken: token)).Der
                : Elsewhere(issuer) is { } source ? await source.FetchCrlAsync(certificate, issuer, token) : null);
    }
}
