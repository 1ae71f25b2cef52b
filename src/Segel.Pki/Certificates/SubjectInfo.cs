using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Certificates;

/// <summary>
/// Who a certificate names. The NIP (civil-servant number) goes in the subject's serialNumber attribute;
/// the NIK never enters a certificate (docs/certificate-profiles.md says why).
/// </summary>
public sealed record SubjectInfo(
    string CommonName,
    string Organization,
    string Country,
    string? OrganizationalUnit = null,
    string? Email = null,
    string? Nip = null)
{
    public X500DistinguishedName ToDistinguishedName()
    {
        // The builder encodes RDNs in reverse order of addition; add most specific first so the DER reads
        // C, O, OU, CN, serialNumber, the order relying parties and RFC 5280 examples use.
        var builder = new X500DistinguishedNameBuilder();
        if (!string.IsNullOrWhiteSpace(Nip))
        {
            builder.Add(Oids.SerialNumber, Nip, System.Formats.Asn1.UniversalTagNumber.PrintableString);
        }
        builder.AddCommonName(CommonName);
        if (!string.IsNullOrWhiteSpace(OrganizationalUnit))
        {
            builder.AddOrganizationalUnitName(OrganizationalUnit);
        }
        builder.AddOrganizationName(Organization);
        builder.AddCountryOrRegion(Country);
        return builder.Build();
    }
}
