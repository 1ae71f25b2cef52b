using Segel.Pdf.Verification;
using Segel.Testing;

namespace Segel.Pdf.Tests;

public sealed class VerificationTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    private System.Security.Cryptography.X509Certificates.X509Certificate2[] Root => [fixture.Identity.Chain[^1]];

    [Fact]
    public async Task A_fresh_signature_is_valid_against_the_root_and_indeterminate_without_one()
    {
        byte[] signed = File.ReadAllBytes(await fixture.SignAsync(SamplePdf.Letter(), "verify.pdf"));
        SignatureReport report = Assert.Single(await PdfVerifier.VerifyAsync(signed, Root, fixture.Online));
        Assert.Equal(SignatureConclusion.Valid, report.Conclusion);
        Assert.True(report.CoversWholeFile);
        Assert.Contains("Budi Santoso", report.Signer, StringComparison.Ordinal);
        Assert.Contains("SAH (VALID)", ReportText.Render([report]), StringComparison.Ordinal);
        Assert.Equal((Indication.TotalPassed, (SubIndication?)null), (report.Indication, report.SubIndication));
        SignatureReport untrusted = Assert.Single(await PdfVerifier.VerifyAsync(signed, []));
        Assert.Equal(SignatureConclusion.Indeterminate, untrusted.Conclusion);
        Assert.Equal((Indication.Indeterminate, SubIndication.NoCertificateChainFound), (untrusted.Indication, untrusted.SubIndication));
        // As ETSI spells them, in every JSON report (the API's, segel-pdf --json).
        string json = System.Text.Json.JsonSerializer.Serialize(untrusted);
        Assert.Contains("\"Indication\":\"INDETERMINATE\"", json, StringComparison.Ordinal);
        Assert.Contains("\"SubIndication\":\"NO_CERTIFICATE_CHAIN_FOUND\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tampering_inside_or_around_the_signed_ranges_is_invalid()
    {
        byte[] signed = File.ReadAllBytes(await fixture.SignAsync(SamplePdf.Letter(), "verify-tamper.pdf"));
        string text = System.Text.Encoding.Latin1.GetString(signed);

        byte[] content = (byte[])signed.Clone();
        content[text.IndexOf("Surat Dinas", StringComparison.Ordinal)] = (byte)'X';
        SignatureReport tampered = Assert.Single(await PdfVerifier.VerifyAsync(content, Root));
        Assert.Equal(SignatureConclusion.Invalid, tampered.Conclusion);
        Assert.Equal((Indication.TotalFailed, SubIndication.HashFailure), (tampered.Indication, tampered.SubIndication));

        // A byte of the CMS itself.
        byte[] cms = (byte[])signed.Clone();
        int contents = text.IndexOf("/Contents <", StringComparison.Ordinal) + 60;
        cms[contents] = cms[contents] == (byte)'A' ? (byte)'B' : (byte)'A';
        Assert.Equal(SignatureConclusion.Invalid, Assert.Single(await PdfVerifier.VerifyAsync(cms, Root)).Conclusion);

        // Bytes appended after the signature: still valid, but no longer the whole file.
        byte[] appended = [.. signed, .. "\n% appended\n"u8.ToArray()];
        SignatureReport later = Assert.Single(await PdfVerifier.VerifyAsync(appended, Root, fixture.Online));
        Assert.False(later.CoversWholeFile);
        Assert.Contains("later-revisions-present", later.Findings.Select(f => f.ToString()));
    }

    [Fact]
    public async Task The_first_of_two_signatures_reports_the_later_revision()
    {
        string once = await fixture.SignAsync(SamplePdf.Letter(), "verify-two.1.pdf");
        byte[] twice = File.ReadAllBytes(await fixture.SignAsync(File.ReadAllBytes(once), "verify-two.2.pdf", identity: fixture.Second));
        IReadOnlyList<SignatureReport> reports = await PdfVerifier.VerifyAsync(twice, Root, fixture.Online);
        Assert.Equal(2, reports.Count);
        Assert.All(reports, r => Assert.Equal(SignatureConclusion.Valid, r.Conclusion));
        Assert.False(reports[0].CoversWholeFile);
        Assert.True(reports[1].CoversWholeFile);
    }
}
