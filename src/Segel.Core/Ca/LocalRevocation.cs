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

    /// <summary>What a verifying command asks: the local CA with --data, nothing with --offline, else the URLs in the certificates.</summary>
    public static async Task<IRevocationSource?> ForVerificationAsync(LocalRevocation? local, bool offline, CancellationToken cancellationToken) =>
        local is not null ? await local.CreateAsync(cancellationToken) : offline ? null : new HttpRevocationSource();

    public async Task<IRevocationSource> CreateAsync(CancellationToken cancellationToken)
    {
        OcspResponder responder = await _responders.BuildAsync(cancellationToken);
        IReadOnlyList<LoadedAuthority> authorities = await _ring.GetAllAsync(cancellationToken);
        return new DelegateRevocationSource(
            async (certificate, issuer, token) => (await responder.RespondAsync(OcspRequests.Create(certificate, issuer), token)).Body,
            async (certificate, issuer, token) =>
            {
                LoadedAuthority? authority = authorities.FirstOrDefault(a => a.Certificate.Thumbprint == issuer.Thumbprint);
                if (authority is null)
                {
                    return null;
                }
                return (await _crls.GetLatestAsync(authority.Record.Id, token) ?? await _crls.PublishAsync(authority, cancellationToken: token)).Der;
            });
    }
}
