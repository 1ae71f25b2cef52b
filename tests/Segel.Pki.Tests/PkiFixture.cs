using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;

namespace Segel.Pki.Tests;

/// <summary>A small hierarchy built straight from Segel.Pki, without a database.</summary>
public sealed class PkiFixture : IDisposable
{
    // Near the real clock: openssl checks validity against the time it runs at.
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600);

    public PkiFixture()
    {
        Policy = new IssuancePolicy(new CaUrls("http://segel.test"), "2.25.1234");
        RootKey = SoftwareSigningKey.Generate("soft:root", KeyAlgorithm.EcdsaP384);
        Root = CertificateSigner.SelfSignRoot(RootKey, Subject("Test Root").ToDistinguishedName(), Now, Now.AddYears(20), Policy);
        IssuingKey = SoftwareSigningKey.Generate("soft:issuing", KeyAlgorithm.Rsa2048);
        Issuing = new CertificateSigner(Root, "root-ca", RootKey, Policy).Sign(new CertificateTemplate(
            Subject("Test Issuing CA").ToDistinguishedName(), IssuingKey.PublicKey, CertificateProfile.IssuingCa, Now, Now.AddYears(10), SerialNumber.New()));
        Signer = new CertificateSigner(Issuing, "issuing-ca", IssuingKey, Policy);
    }

    public IssuancePolicy Policy { get; }

    public SoftwareSigningKey RootKey { get; }

    public X509Certificate2 Root { get; }

    public SoftwareSigningKey IssuingKey { get; }

    public X509Certificate2 Issuing { get; }

    public CertificateSigner Signer { get; }

    public static SubjectInfo Subject(string cn, string? email = null) => new(cn, "Pemerintah Kabupaten Tanah Bumbu", "ID", "Dinas Kominfo", email);

    public X509Certificate2 Issue(CertificateProfile profile, KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256, string? email = "budi@tanahbumbukab.go.id")
    {
        using SoftwareSigningKey key = SoftwareSigningKey.Generate("soft:leaf", algorithm);
        return Signer.Sign(new CertificateTemplate(Subject("Budi Santoso", email).ToDistinguishedName(), key.PublicKey, profile,
            Now, Now.AddYears(2), SerialNumber.New(), email));
    }

    public string ChainPem(Segel.Testing.TempDirectory dir) =>
        dir.Write("chain.pem", Issuing.ExportCertificatePem() + "\n" + Root.ExportCertificatePem() + "\n");

    public void Dispose()
    {
        RootKey.Dispose();
        IssuingKey.Dispose();
    }
}
