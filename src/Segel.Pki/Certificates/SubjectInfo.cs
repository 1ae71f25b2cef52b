using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Certificates;

/// <summary>
/// Who a certificate names. The NIP (civil-servant number) goes in the subject's serialNumber attribute;
/// the NIK never enters a certificate (docs/identity-in-certificates.md says why).
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
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCountryOrRegion(Country);
        builder.AddOrganizationName(Organization);
        if (!string.IsNullOrWhiteSpace(OrganizationalUnit))
        {
            builder.AddOrganizationalUnitName(OrganizationalUnit);
        }
        builder.AddCommonName(CommonName);
        if (!string.IsNullOrWhiteSpace(Nip))
        {
            builder.Add(Oids.SerialNumber, Nip, System.Formats.Asn1.UniversalTagNumber.PrintableString);
        }
        return builder.Build();
    }
}
