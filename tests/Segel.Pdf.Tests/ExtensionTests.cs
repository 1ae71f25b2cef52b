using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Testing;

namespace Segel.Pdf.Tests;

/// <summary>Extending signed PDFs to B-LTA (issue 21.6): the missing validation data and a document time-stamp added later.</summary>
public sealed partial class ExtensionTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    private X509Certificate2[] Root => [fixture.Identity.Chain[^1]];

    private PdfSignatureOptions Level(PadesLevel level) => new()
    {
        Reason = "Menyetujui",
        Level = level,
        TimeStamps = fixture.TimeStamps,
        Revocation = fixture.Revocation,
        SigningTime = fixture.Time.GetUtcNow(),
    };

    internal static PdfExtensionOptions Options(SigningFixture fixture) => new(fixture.TimeStamps, fixture.Revocation) { Now = fixture.Time.GetUtcNow() };

    internal static async Task<string> ExtendAsync(SigningFixture fixture, string signed, string name)
    {
        string path = fixture.Directory.File(name);
        using (var output = new FileStream(path, FileMode.Create, FileAccess.ReadWrite))
        {
            await PdfExtension.ExtendAsync(File.ReadAllBytes(signed), output, Options(fixture));
        }
        return path;
    }

    private PdfExtensionOptions Extension => new(fixture.TimeStamps, fixture.Revocation) { Now = fixture.Time.GetUtcNow() };

    private PdfVerificationOptions Now => fixture.Online with { Now = fixture.Time.GetUtcNow() };

    [Fact]
    public async Task A_B_T_signature_gains_its_validation_data_with_a_VRI_entry_and_a_document_time_stamp()
    {
        string signed = await fixture.SignAsync(SamplePdf.Letter(), "ext-b-t.pdf", Level(PadesLevel.BaselineT));
        byte[] original = File.ReadAllBytes(signed);
        string extended = await ExtendAsync(fixture, signed, "ext-b-t-lta.pdf");
        byte[] bytes = File.ReadAllBytes(extended);

        // Appended, never rewritten: the signed bytes are the file's first bytes, and others' tools still accept it.
        Assert.True(bytes.AsSpan(0, original.Length).SequenceEqual(original));
        Assert.Contains("No syntax or stream encoding errors", Tool.Run("qpdf", "--check", extended).Check().Stdout, StringComparison.Ordinal);
        Tool.Result pdfsig = fixture.PdfSig(extended);
        Assert.Contains("Signature is Valid", pdfsig.Stdout, StringComparison.Ordinal);
        (byte[] content, byte[] token) = SigningFixture.LastSignature(extended);
        File.WriteAllBytes(fixture.Directory.File("ext.content"), content);
        File.WriteAllBytes(fixture.Directory.File("ext.tst"), token);
        Tool.Result openssl = Tool.OpenSsl("ts", "-verify", "-data", fixture.Directory.File("ext.content"), "-in", fixture.Directory.File("ext.tst"),
            "-token_in", "-CAfile", fixture.ChainPem);
        Assert.True(openssl.ExitCode == 0, openssl.Output);

        // The VRI entry is keyed by the SHA-1 of the signature's /Contents, as ISO 32000-2 §12.8.4.4 says.
        string text = System.Text.Encoding.Latin1.GetString(bytes);
        byte[] contents = Convert.FromHexString(ContentsHex().Match(System.Text.Encoding.Latin1.GetString(original)).Groups[1].Value);
#pragma warning disable CA5350 // the key the standard defines
        string key = Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(contents));
#pragma warning restore CA5350
        Assert.Contains("/" + key, text, StringComparison.Ordinal);
        Assert.Contains("/VRI", text, StringComparison.Ordinal);

        IReadOnlyList<SignatureReport> reports = await PdfVerifier.VerifyAsync(bytes, Root, Now);
        Assert.Equal(["signature", "timestamp"], reports.Select(r => r.Kind));
        Assert.All(reports, r => Assert.True(r.Conclusion == SignatureConclusion.Valid, r.Field + ": " + string.Join("\n", r.Findings)));
        Assert.Contains("changes-after:dss", reports[0].Findings.Select(f => f.ToString()));
    }

    [Fact]
    public async Task A_PDF_without_a_signature_is_refused_and_nothing_is_written()
    {
        using var output = new MemoryStream();
        PdfFormatException refused = await Assert.ThrowsAsync<PdfFormatException>(async () => await PdfExtension.ExtendAsync(SamplePdf.Letter(), output, Extension));
        Assert.Contains("no signature", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
    }

    [GeneratedRegex(@"/Contents\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex ContentsHex();
}

/// <summary>
/// A verification years on — after the signer's and the first TSA's certificates expired — holds only for the copy
/// extended in time. Its own fixture: the clock runs through seven years.
/// </summary>
public sealed class ExtensionOverYearsTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    private X509Certificate2[] Root => [fixture.Identity.Chain[^1]];

    private PdfVerificationOptions Now => fixture.Online with { Now = fixture.Time.GetUtcNow() };

    [Fact]
    public async Task An_extended_letter_outlives_its_signer_and_first_TSA_certificates_and_one_not_extended_does_not()
    {
        DateTimeOffset signedAt = fixture.Time.GetUtcNow();
        SigningIdentity holder = await fixture.HolderAsync("Ahmad Fauzi", "ahmad@tanahbumbukab.go.id", "197903032003121003");
        string signed = await fixture.SignAsync(SamplePdf.Letter(), "ext-b-lt.pdf", new PdfSignatureOptions
        {
            Level = PadesLevel.BaselineLT,
            TimeStamps = fixture.TimeStamps,
            Revocation = fixture.Revocation,
            SigningTime = signedAt,
        }, holder);

        // Four years and eight months on, the first TSA certificate (six years) has less than a quarter of its life
        // left and is replaced; the letter is extended while everything in it still verifies.
        fixture.Time.SetUtcNow(signedAt.AddYears(4).AddMonths(8));
        Assert.True(await fixture.RenewServicesAsync() >= 1);
        string extended = await ExtensionTests.ExtendAsync(fixture, signed, "ext-b-lt-lta.pdf");

        // Seven years on, the holder's certificate (two years) and the first TSA's have both expired.
        fixture.Time.SetUtcNow(signedAt.AddYears(7));
        await fixture.RenewServicesAsync();
        Assert.True(holder.Certificate.NotAfter < fixture.Time.GetUtcNow().UtcDateTime);

        IReadOnlyList<SignatureReport> kept = await PdfVerifier.VerifyAsync(File.ReadAllBytes(extended), Root, Now);
        Assert.Equal(2, kept.Count);
        Assert.All(kept, r => Assert.True(r.Conclusion == SignatureConclusion.Valid, r.Field + ": " + string.Join("\n", r.Findings)));
        Assert.Equal(signedAt, kept[0].TimeStamp);

        SignatureReport lapsed = Assert.Single(await PdfVerifier.VerifyAsync(File.ReadAllBytes(signed), Root, Now));
        Assert.True(lapsed.Conclusion == SignatureConclusion.Indeterminate, string.Join("\n", lapsed.Findings));
        Assert.Contains(lapsed.Findings, f => f is { Code: Pki.Validation.FindingCode.TimestampExpiredUnproven, Source: Pki.Validation.FindingSource.TimeStampAuthority });
        Assert.Equal(SubIndication.OutOfBoundsNoPoe, lapsed.SubIndication);
        Assert.Contains("perpanjang", ReportText.Render([lapsed]), StringComparison.Ordinal);
    }
}
