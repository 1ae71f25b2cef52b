using Segel.Pki.Ocsp;
using Segel.Pki.Validation;

namespace Segel.Core.Ca;

/// <summary>Revocation status from this Segel CA's own database, in-process: its OCSP responder and latest CRLs.</summary>
public sealed class LocalRevocation
{
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
    /// another CA (an outside trust anchor's). Missing issuers are never fetched through it.
    /// </summary>
    public async Task<IRevocationSource> CreateAsync(IRevocationSource? outside, CancellationToken cancellationToken)
    {
        OcspResponder responder = await _responders.BuildAsync(cancellationToken);
        IReadOnlyList<LoadedAuthority> authorities = await _ring.GetAllAsync(cancellationToken);
        LoadedAuthority? Ours(System.Security.Cryptography.X509Certificates.X509Certificate2 issuer) =>
            authorities.FirstOrDefault(a => a.Certificate.Thumbprint == issuer.Thumbprint);
        return new DelegateRevocationSource(
            async (certificate, issuer, token) => Ours(issuer) is not null
                ? (await responder.RespondAsync(OcspRequests.Create(certificate, issuer), token)).Body
                : outside is null ? null : await outside.FetchOcspAsync(certificate, issuer, token),
            async (certificate, issuer, token) => Ours(issuer) is { } authority
                ? (await _crls.GetLatestAsync(authority.Record.Id, token) ?? await _crls.PublishAsync(authority, cancellationToken: token)).Der
                : outside is null ? null : await outside.FetchCrlAsync(certificate, issuer, token));
    }
}
