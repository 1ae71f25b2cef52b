using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Segel.Pdf.Verification;
using Segel.Pki.Keys;
using Segel.Pki.Validation;
using Segel.Testing;

namespace Segel.Pdf.Tests;

/// <summary>
/// A signature made with SHA-1 — by openssl, over the byte ranges of a PDF Segel laid out — is intact but rests
/// on a broken digest: INDETERMINATE with the reason named, unless a policy that accepts SHA-1 is chosen.
/// </summary>
public sealed class AlgorithmPolicyTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    [Fact]
    public async Task A_sha1_signature_is_reported_weak_and_left_open()
    {
        byte[] pdf = File.ReadAllBytes(await fixture.SignAsync(SamplePdf.Letter(), "sha1-layout.pdf"));
        string text = System.Text.Encoding.Latin1.GetString(pdf);
        int at = text.LastIndexOf("/ByteRange", StringComparison.Ordinal);
        long[] range = [.. text[(text.IndexOf('[', at) + 1)..text.IndexOf(']', at)]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => long.Parse(n, CultureInfo.InvariantCulture))];
        byte[] content = [.. pdf.AsSpan(0, (int)range[1]), .. pdf.AsSpan((int)range[2], (int)range[3])];

        using X509Certificate2 withKey = ((SoftwareSigningKey)fixture.Identity.Key).AttachTo(fixture.Identity.Certificate);
        string content1 = fixture.Directory.Write("sha1-content.bin", "");
        File.WriteAllBytes(content1, content);
        string cert = fixture.Directory.Write("sha1-signer.pem", withKey.ExportCertificatePem());
        string key = fixture.Directory.Write("sha1-signer.key", withKey.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        string der = fixture.Directory.File("sha1.der");
        Tool.Run("openssl", "cms", "-sign", "-binary", "-md", "sha1", "-in", content1, "-signer", cert, "-inkey", key, "-certfile", fixture.ChainPem,
            "-outform", "DER", "-out", der).Check();
        string hex = Convert.ToHexString(File.ReadAllBytes(der));
        int hole = (int)(range[2] - range[1] - 2);
        Assert.True(hex.Length <= hole);
        System.Text.Encoding.ASCII.GetBytes(hex.PadRight(hole, '0')).CopyTo(pdf, (int)range[1] + 1);

        X509Certificate2[] root = [fixture.Identity.Chain[^1]];
        SignatureReport report = Assert.Single(await PdfVerifier.VerifyAsync(pdf, root, fixture.Online));
        Assert.Equal(SignatureConclusion.Indeterminate, report.Conclusion);
        Assert.Contains("signature-intact", report.Findings.Select(f => f.ToString()));
        Assert.Equal((Indication.Indeterminate, SubIndication.CryptoConstraintsFailureNoPoe), (report.Indication, report.SubIndication));
        Assert.Contains(report.Findings.Select(f => f.ToString()), f => f.StartsWith("weak-algorithm:signature, SHA-1", StringComparison.Ordinal));
        Assert.Contains("SHA-1", ReportText.Render([report], CultureInfo.GetCultureInfo("id")), StringComparison.Ordinal);

        // Only the policy stood in the way.
        SignatureReport permissive = Assert.Single(await PdfVerifier.VerifyAsync(pdf, root, fixture.Online with { Policy = AlgorithmPolicy.Any }));
        Assert.Equal(SignatureConclusion.Valid, permissive.Conclusion);
    }

    [Fact]
    public void Weak_digests_and_keys_pass_only_when_proven_older_than_their_end()
    {
        AlgorithmPolicy policy = AlgorithmPolicy.Default;
        var before = new DateTimeOffset(2012, 6, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(policy.CheckDigest("SHA256", null));
        Assert.Null(policy.CheckDigest("SHA1", before));
        Assert.Contains("SHA-1", policy.CheckDigest("SHA1", null), StringComparison.Ordinal);
        Assert.NotNull(policy.CheckDigest("SHA1", AlgorithmPolicy.LegacyEnd));
        Assert.NotNull(policy.CheckDigest("MD5", before));
        Assert.NotNull(policy.CheckDigest("1.2.3.4", null));

        using var rsa1024 = System.Security.Cryptography.RSA.Create(1024);
        using var rsa2048 = System.Security.Cryptography.RSA.Create(2048);
        using var p256 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var k256 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.CreateFromFriendlyName("secp256k1"));
        Assert.Equal("RSA-1024", policy.CheckKey(new PublicKey(rsa1024), null));
        Assert.Null(policy.CheckKey(new PublicKey(rsa1024), before));
        Assert.Null(policy.CheckKey(new PublicKey(rsa2048), null));
        Assert.Null(policy.CheckKey(new PublicKey(p256), null));
        Assert.StartsWith("EC curve 1.3.132.0.10", policy.CheckKey(new PublicKey(k256), null), StringComparison.Ordinal);
        Assert.Null(AlgorithmPolicy.Any.CheckKey(new PublicKey(rsa1024), null));
    }
}
