using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Certificates;

/// <summary>certificatePolicies (RFC 5280 §4.2.1.4) with one policy and a CPS-pointer qualifier; .NET has no builder for it.</summary>
public static class CertificatePoliciesExtension
{
    public static X509Extension Create(string policyOid, string cpsUri)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(policyOid);
                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(Oids.CpsQualifier);
                        writer.WriteCharacterString(UniversalTagNumber.IA5String, cpsUri);
                    }
                }
            }
        }
        return new X509Extension(Oids.CertificatePolicies, writer.Encode(), critical: false);
    }

    /// <summary>Reads the policy OIDs back, for tests and for the certificate view.</summary>
    public static IReadOnlyList<string> ReadPolicyOids(X509Extension extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        var oids = new List<string>();
        AsnReader policies = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        while (policies.HasData)
        {
            AsnReader info = policies.ReadSequence();
            oids.Add(info.ReadObjectIdentifier());
        }
        return oids;
    }
}
