using System.Formats.Asn1;

namespace Segel.Pki.Keys;

/// <summary>The AlgorithmIdentifier a key's signatures carry, written once for X.509, CRL and OCSP alike.</summary>
public static class SignatureAlgorithms
{
    public static string Oid(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => "1.2.840.10045.4.3.2",      // ecdsa-with-SHA256
        KeyAlgorithm.EcdsaP384 => "1.2.840.10045.4.3.3",      // ecdsa-with-SHA384
        _ => "1.2.840.113549.1.1.11",                           // sha256WithRSAEncryption
    };

    public static byte[] AlgorithmIdentifier(KeyAlgorithm algorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Oid(algorithm));
            // RFC 4055 §5: RSA PKCS#1 v1.5 identifiers carry NULL parameters; RFC 5758 §3.2: ECDSA's carry none.
            if (algorithm.IsRsa())
            {
                writer.WriteNull();
            }
        }
        return writer.Encode();
    }
}
