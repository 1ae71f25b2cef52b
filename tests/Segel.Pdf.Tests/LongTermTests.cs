using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Pdf.Tests;

/// <summary>PAdES B-LT and B-LTA, certification signatures, and revocation at signing time.</summary>
public sealed class LongTermTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    private System.Security.Cryptography.X509Certificates.X509Certificate2[] Root => [fixture.Identity.Chain[^1]];

    private PdfSignatureOptions Level(PadesLevel level) => new()
    {
        Reason = "Menyetujui",
        Level = level,
        TimeStamps = fixture.TimeStamps,
        Revocation = fixture.Revocation,
    };

    [Fact]
    public async Task B_LT_carries_its_validation_data_so_it_verifies_offline()
    {
        string signed = await fixture.SignAsync(SamplePdf.Letter(), "b-lt.pdf", Level(PadesLevel.BaselineLT));
        Assert.Contains("No syntax or stream encoding errors", Tool.Run("qpdf", "--check", signed).Check().Stdout, StringComparison.Ordinal);
        Tool.Result pdfsig = fixture.PdfSig(signed);
        Assert.True(pdfsig.ExitCode == 0, pdfsig.Output);
        Assert.Contains("Signature is Valid", pdfsig.Stdout, StringComparison.Ordinal);
        Assert.Contains("Certificate is Trusted", pdfsig.Stdout, StringComparison.Ordinal);
        string text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(signed));
        Assert.Contains("/DSS", text, StringComparison.Ordinal);

        // No revocation source: everything needed is in the file.
        SignatureReport report = Assert.Single(await PdfVerifier.VerifyAsync(File.ReadAllBytes(signed), Root));
        Assert.True(report.Conclusion == SignatureConclusion.Valid, string.Join("\n", report.Findings));
        Assert.Contains(report.Findings.Select(f => f.ToString()), f => f.StartsWith("revocation-good:", StringComparison.Ordinal) && f.Contains("ocsp", StringComparison.Ordinal) && f.Contains("crl", StringComparison.Ordinal));
        Assert.Contains(report.Findings.Select(f => f.ToString()), f => f.StartsWith("tsa-revocation-good", StringComparison.Ordinal));
        Assert.Contains("changes-after:dss", report.Findings.Select(f => f.ToString()));
        Assert.DoesNotContain(report.Findings.Select(f => f.ToString()), f => f.StartsWith("disallowed-change", StringComparison.Ordinal));
    }

    [Fact]
    public async Task B_LTA_adds_a_document_time_stamp_that_openssl_accepts()
    {
        string signed = await fixture.SignAsync(SamplePdf.Letter(), "b-lta.pdf", Level(PadesLevel.BaselineLTA));
        Tool.Run("qpdf", "--check", signed).Check();
        IReadOnlyList<SignatureReport> reports = await PdfVerifier.VerifyAsync(File.ReadAllBytes(signed), Root);
        Assert.Equal(2, reports.Count);
        Assert.All(reports, r => Assert.True(r.Conclusion == SignatureConclusion.Valid, r.Field + ": " + string.Join("\n", r.Findings)));
        Assert.Equal("timestamp", reports[1].Kind);
        Assert.True(reports[1].CoversWholeFile);
        Assert.Contains("changes-after:timestamp", reports[0].Findings.Select(f => f.ToString()));

        (byte[] content, byte[] token) = SigningFixture.LastSignature(signed);
        File.WriteAllBytes(fixture.Directory.File("b-lta.content"), content);
        File.WriteAllBytes(fixture.Directory.File("b-lta.tst"), token);
        Tool.Result openssl = Tool.OpenSsl("ts", "-verify", "-data", fixture.Directory.File("b-lta.content"), "-in", fixture.Directory.File("b-lta.tst"),
            "-token_in", "-CAfile", fixture.ChainPem);
        Assert.True(openssl.ExitCode == 0, openssl.Output);
        Assert.Contains("Verification: OK", openssl.Stdout, StringComparison.Ordinal);
        Assert.Contains("Cap waktu dokumen 2", ReportText.Render(reports), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_revoked_before_signing_makes_the_signature_invalid()
    {
        SigningIdentity holder = await fixture.HolderAsync("Rudi Hartono", "rudi@tanahbumbukab.go.id", "198001012005011001");
        await fixture.RevokeAsync(holder, RevocationReason.KeyCompromise);
        byte[] signed = File.ReadAllBytes(await fixture.SignAsync(SamplePdf.Letter(), "revoked.pdf", identity: holder));
        SignatureReport report = Assert.Single(await PdfVerifier.VerifyAsync(signed, Root, fixture.Online));
        Assert.Equal(SignatureConclusion.Invalid, report.Conclusion);
        Assert.Contains(report.Findings.Select(f => f.ToString()), f => f.StartsWith("certificate-revoked:", StringComparison.Ordinal));

        // B-LT records the revocation in the DSS, so the verdict is the same offline.
        Assert.Equal(SignatureConclusion.Invalid, Assert.Single(await PdfVerifier.VerifyAsync(File.ReadAllBytes(
            await fixture.SignAsync(SamplePdf.Letter(), "revoked-lt.pdf", Level(PadesLevel.BaselineLT), holder)), Root)).Conclusion);
    }

    [Fact]
    public async Task A_revocation_after_a_time_stamped_signature_leaves_it_valid_but_without_a_time_stamp_undecided()
    {
        SigningIdentity holder = await fixture.HolderAsync("Dewi Lestari", "dewi@tanahbumbukab.go.id", "198202022006042002");
        DateTimeOffset before = fixture.Time.GetUtcNow();
        byte[] stamped = File.ReadAllBytes(await fixture.SignAsync(SamplePdf.Letter(), "later-revoked-t.pdf", Level(PadesLevel.BaselineT), holder));
        byte[] plain = File.ReadAllBytes(await fixture.SignAsync(SamplePdf.Letter(), "later-revoked-b.pdf", new PdfSignatureOptions { SigningTime = before }, holder));
        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        await fixture.RevokeAsync(holder, RevocationReason.AffiliationChanged);

        SignatureReport proven = Assert.Single(await PdfVerifier.VerifyAsync(stamped, Root, fixture.Online));
        Assert.True(proven.Conclusion == SignatureConclusion.Valid, string.Join("\n", proven.Findings));
        Assert.Contains(proven.Findings.Select(f => f.ToString()), f => f.StartsWith("revoked-after-signing:", StringComparison.Ordinal));

        SignatureReport claimed = Assert.Single(await PdfVerifier.VerifyAsync(plain, Root, fixture.Online));
        Assert.Equal(SignatureConclusion.Indeterminate, claimed.Conclusion);
        Assert.Contains(claimed.Findings.Select(f => f.ToString()), f => f.StartsWith("revoked-time-unproven:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_revocation_data_or_a_way_to_fetch_it_the_verdict_is_indeterminate()
    {
        byte[] signed = File.ReadAllBytes(await fixture.SignAsync(SamplePdf.Letter(), "no-revocation.pdf"));
        SignatureReport report = Assert.Single(await PdfVerifier.VerifyAsync(signed, Root));
        Assert.Equal(SignatureConclusion.Indeterminate, report.Conclusion);
        Assert.Contains(report.Findings.Select(f => f.ToString()), f => f.StartsWith("revocation-unknown:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_certification_signature_allows_a_later_signature_at_P2_and_nothing_at_P1()
    {
        string certified = await fixture.SignAsync(SamplePdf.Letter(), "certified-p2.pdf", new PdfSignatureOptions { Certification = DocMdpPermissions.FormFillingAndSigning });
        string countersigned = await fixture.SignAsync(File.ReadAllBytes(certified), "certified-p2-signed.pdf", new PdfSignatureOptions(), fixture.Second);
        Tool.Result pdfsig = fixture.PdfSig(countersigned);
        Assert.True(pdfsig.ExitCode == 0, pdfsig.Output);
        IReadOnlyList<SignatureReport> reports = await PdfVerifier.VerifyAsync(File.ReadAllBytes(countersigned), Root, fixture.Online);
        Assert.All(reports, r => Assert.True(r.Conclusion == SignatureConclusion.Valid, string.Join("\n", r.Findings)));
        Assert.Equal(2, reports[0].Certification);
        Assert.Contains("changes-after:signature", reports[0].Findings.Select(f => f.ToString()));

        // A second certification is refused, and so is any signature on a P=1 document.
        await Assert.ThrowsAsync<Signing.SignatureInputException>(async () => await fixture.SignAsync(File.ReadAllBytes(certified), "certified-twice.pdf", new PdfSignatureOptions { Certification = DocMdpPermissions.NoChanges }));
        string locked = await fixture.SignAsync(SamplePdf.Letter(), "certified-p1.pdf", new PdfSignatureOptions { Certification = DocMdpPermissions.NoChanges });
        Assert.Contains("P=1", (await Assert.ThrowsAsync<Parsing.PdfFormatException>(async () => await fixture.SignAsync(File.ReadAllBytes(locked), "certified-p1-signed.pdf", identity: fixture.Second))).Message, StringComparison.Ordinal);
    }
}
