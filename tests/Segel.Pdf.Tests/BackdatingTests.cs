using System.Security.Cryptography.X509Certificates;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Testing;

namespace Segel.Pdf.Tests;

/// <summary>
/// A signature without a time-stamp (PAdES B-B) has only the signer's claimed time. Once the signer's certificate has
/// expired, nothing proves the signature was made before then — a backdated letter signed with an old key would
/// otherwise read VALID. ETSI EN 319 102-1: INDETERMINATE, OUT_OF_BOUNDS_NO_POE. Its own fixture: the clock moves.
/// </summary>
public sealed class BackdatingTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    [Fact]
    public async Task A_signature_without_a_trusted_time_is_not_valid_once_its_certificate_has_expired()
    {
        X509Certificate2[] root = [fixture.Identity.Chain[^1]];
        DateTimeOffset signedAt = fixture.Time.GetUtcNow();
        SigningIdentity holder = await fixture.HolderAsync("Rina Wulandari", "rina@tanahbumbukab.go.id", "198811112012122001");
        string signed = await fixture.SignAsync(SamplePdf.Letter(), "b-b.pdf", new PdfSignatureOptions { Level = PadesLevel.BaselineB, SigningTime = signedAt }, holder);

        SignatureReport fresh = Assert.Single(await PdfVerifier.VerifyAsync(File.ReadAllBytes(signed), root, fixture.Online with { Now = fixture.Time.GetUtcNow() }));
        Assert.True(fresh.Conclusion == SignatureConclusion.Valid, string.Join("\n", fresh.Findings));

        fixture.Time.SetUtcNow(signedAt.AddYears(3));
        Assert.True(holder.Certificate.NotAfter < fixture.Time.GetUtcNow().UtcDateTime);
        SignatureReport lapsed = Assert.Single(await PdfVerifier.VerifyAsync(File.ReadAllBytes(signed), root, fixture.Online with { Now = fixture.Time.GetUtcNow() }));
        Assert.True(lapsed.Conclusion == SignatureConclusion.Indeterminate, string.Join("\n", lapsed.Findings));
        Assert.Contains(lapsed.Findings, f => f.Code == Pki.Validation.FindingCode.SignerExpiredUnproven);
        Assert.Equal(SubIndication.OutOfBoundsNoPoe, lapsed.SubIndication);
        Assert.Contains("tidak bercap waktu", ReportText.Render([lapsed]), StringComparison.Ordinal);
    }
}
