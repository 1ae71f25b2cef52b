using Segel.Pki.Ocsp;

namespace Segel.Core.Ca;

/// <summary>An OCSP responder for this CA: one authority per issuing CA, each with the active delegated responder that CA certified.</summary>
internal sealed class OcspResponders(AuthorityRing ring, CaSettings settings, ICertificateStatusSource status, TimeProvider time)
{
    public async Task<OcspResponder> BuildAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<LoadedAuthority> all = await ring.GetAllAsync(cancellationToken);
        var authorities = new List<OcspAuthority>();
        foreach (LoadedAuthority issuer in all.Where(a => a.Record.Role == Storage.AuthorityRole.IssuingCa))
        {
            LoadedAuthority? responder = AuthorityRing.ActiveResponderFor(all, issuer);
            if (responder is not null)
            {
                authorities.Add(new OcspAuthority(issuer.Slug, issuer.Certificate, responder.Certificate, responder.Key));
            }
        }
        var options = new OcspOptions
        {
            Validity = settings.OcspResponseValidity,
            RefreshAfter = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, settings.OcspResponseValidity.Ticks / 4)),
        };
        return new OcspResponder(authorities, status, time, options);
    }
}
