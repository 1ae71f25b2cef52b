using Segel.Pki.Validation;
using Segel.Pki.Ocsp;

namespace Segel.Core.Ca;

/// <summary>Revocation status from this Segel CA's own database, in-process: its OCSP responder and latest CRLs.</summary>
public static class LocalRevocation
{
    /// <summary>What a verifying command asks: the local CA with --data, nothing with --offline, else the URLs in the certificates.</summary>
    public static async Task<IRevocationSource?> ForVerificationAsync(SegelCa? local, bool offline, CancellationToken cancellationToken) =>
        local is not null ? await CreateAsync(local, cancellationToken) : offline ? null : new HttpRevocationSource();

    public static async Task<IRevocationSource> CreateAsync(SegelCa ca, CancellationToken cancellationToken)
    {
        OcspResponder responder = await OcspResponders.BuildAsync(ca, cancellationToken);
        IReadOnlyList<LoadedAuthority> authorities = await ca.Ring.GetAllAsync(cancellationToken);
        return new DelegateRevocationSource(
            async (certificate, issuer, token) => (await responder.RespondAsync(OcspRequests.Create(certificate, issuer), token)).Body,
            async (certificate, issuer, token) =>
            {
                LoadedAuthority? authority = authorities.FirstOrDefault(a => a.Certificate.Thumbprint == issuer.Thumbprint);
                if (authority is null)
                {
                    return null;
                }
                return (await ca.Crls.GetLatestAsync(authority.Record.Id, token) ?? await ca.Crls.PublishAsync(authority, cancellationToken: token)).Der;
            });
    }
}
