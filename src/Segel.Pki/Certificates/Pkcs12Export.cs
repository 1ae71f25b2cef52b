using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Certificates;

/// <summary>
/// PKCS#12 for a key Segel generated: the key shrouded with PBES2/AES-256-CBC, the certificate and its
/// chain, and an HMAC-SHA256 integrity MAC; read by OpenSSL 1.1+, NSS (Thunderbird, Firefox) and Windows 10+.
/// </summary>
public static class Pkcs12Export
{
    private const int Iterations = 100_000;

    public static byte[] Export(X509Certificate2 certificateWithKey, IEnumerable<X509Certificate2> chain, string password, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(certificateWithKey);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Iterations);
        var localKeyId = new Pkcs9LocalKeyId(certificateWithKey.GetCertHash(HashAlgorithmName.SHA256));
        var name = new Pkcs9AttributeObject(new Oid("1.2.840.113549.1.9.20"), EncodeBmpString(friendlyName));

        var keyBag = new Pkcs12SafeContents();
        using AsymmetricAlgorithm key = Keys.CertificateKeys.PrivateKeyOf(certificateWithKey)
            ?? throw new ArgumentException("The certificate has no private key.", nameof(certificateWithKey));
        Pkcs12ShroudedKeyBag shrouded = keyBag.AddShroudedKey(key, password, pbe);
        shrouded.Attributes.Add(localKeyId);
        shrouded.Attributes.Add(name);

        var certBag = new Pkcs12SafeContents();
        Pkcs12CertBag leaf = certBag.AddCertificate(X509CertificateLoader.LoadCertificate(certificateWithKey.RawData));
        leaf.Attributes.Add(localKeyId);
        leaf.Attributes.Add(name);
        foreach (X509Certificate2 ca in chain)
        {
            certBag.AddCertificate(ca);
        }

        var builder = new Pkcs12Builder();
        builder.AddSafeContentsEncrypted(certBag, password, pbe);
        builder.AddSafeContentsUnencrypted(keyBag);
        builder.SealWithMac(password, HashAlgorithmName.SHA256, Iterations);
        return builder.Encode();
    }

    private static byte[] EncodeBmpString(string text)
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        writer.WriteCharacterString(System.Formats.Asn1.UniversalTagNumber.BMPString, text);
        return writer.Encode();
    }
}
