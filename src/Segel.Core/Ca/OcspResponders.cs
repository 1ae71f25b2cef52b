using Segel.Pki.Ocsp;

namespace Segel.Core.Ca;

/// <summary>An OCSP responder for this CA: one authority per issuing CA, each with the active delegated responder that CA certified.</summary>
public static class OcspResponders
{
    public static async Task<OcspResponder> BuildAsync(SegelCa ca, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ca);
        IReadOnlyList<LoadedAuthority> all = await ca.Ring.GetAllAsync(cancellationToken);
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
            Validity = ca.Settings.OcspResponseValidity,
            RefreshAfter = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, ca.Settings.OcspResponseValidity.Ticks / 4)),
        };
        return new OcspResponder(authorities, ca.StatusSource, ca.Time, options);
    }
}
