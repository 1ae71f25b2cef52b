using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Testing;

namespace Segel.Pdf.Tests;

/// <summary>
/// Incremental updates written after a signature, the way the "shadow attacks" (Mainka, Mladenov, Rohlmann 2021)
/// and ordinary tools do: what changes what a reader sees is invalid; later signatures, DSS and annotations are not.
/// </summary>
public sealed class ChangeDetectionTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    private System.Security.Cryptography.X509Certificates.X509Certificate2[] Root => [fixture.Identity.Chain[^1]];

    private static byte[] Append(byte[] signed, Action<PdfDocument, IncrementalUpdate> change)
    {
        PdfDocument document = PdfDocument.Open(signed);
        var update = new IncrementalUpdate(document);
        change(document, update);
        using var output = new MemoryStream();
        output.Write(signed);
        update.WriteTo(output, signed.Length);
        return output.ToArray();
    }

    private static PdfNewStream Content(string text) =>
        new(new PdfDictionary(), System.Text.Encoding.Latin1.GetBytes($"BT /F1 18 Tf 72 720 Td ({text}) Tj ET"));

    private async Task<SignatureReport> VerifyOne(byte[] file) => Assert.Single(await PdfVerifier.VerifyAsync(file, Root, fixture.Online));

    private async Task<byte[]> Signed(PdfSignatureOptions? options = null) =>
        File.ReadAllBytes(await fixture.SignAsync(SamplePdf.Letter(), $"change-{Guid.NewGuid():N}.pdf", options ?? new PdfSignatureOptions()));

    [Fact]
    public async Task Replacing_the_page_content_stream_is_invalid()
    {
        byte[] attacked = Append(await Signed(), (document, update) =>
        {
            var page = document.EnumeratePages().First().Page;
            update.Replace((PdfReference)page["Contents"]!, Content("Surat palsu: dana dicairkan"));
        });
        SignatureReport report = await VerifyOne(attacked);
        Assert.Equal(SignatureConclusion.Invalid, report.Conclusion);
        Assert.Contains(report.Findings.Select(f => f.ToString()), f => f.StartsWith("disallowed-change:page-content", StringComparison.Ordinal));
        Assert.Contains("signature-intact", report.Findings.Select(f => f.ToString())); // the signed bytes themselves are untouched: only the change analysis sees it
    }

    [Fact]
    public async Task Pointing_the_page_at_other_content_is_invalid()
    {
        byte[] attacked = Append(await Signed(), (document, update) =>
        {
            (PdfReference reference, PdfDictionary page) = document.EnumeratePages().First();
            PdfDictionary replaced = page.Copy();
            replaced["Contents"] = update.Add(Content("Surat palsu"));
            update.Replace(reference, replaced);
        });
        Assert.Contains((await VerifyOne(attacked)).Findings.Select(f => f.ToString()), f => f == "disallowed-change:page-content");
    }

    [Fact]
    public async Task Replacing_a_font_or_adding_an_action_to_the_catalog_is_invalid()
    {
        byte[] font = Append(await Signed(), (document, update) =>
        {
            var page = document.EnumeratePages().First().Page;
            var fonts = (PdfDictionary)document.Resolve(((PdfDictionary)document.Resolve(page["Resources"])!)["Font"])!;
            var replacement = new PdfDictionary();
            replacement["Type"] = new PdfName("Font");
            replacement["Subtype"] = new PdfName("Type1");
            replacement["BaseFont"] = new PdfName("ZapfDingbats");
            update.Replace((PdfReference)fonts["F1"]!, replacement);
        });
        Assert.Contains((await VerifyOne(font)).Findings.Select(f => f.ToString()), f => f.StartsWith("disallowed-change:page-resource", StringComparison.Ordinal));

        byte[] action = Append(await Signed(), (document, update) =>
        {
            PdfDictionary catalog = document.Catalog.Copy();
            catalog["OpenAction"] = new PdfArray([document.EnumeratePages().First().Reference, new PdfName("Fit")]);
            update.Replace((PdfReference)document.Trailer["Root"]!, catalog);
        });
        SignatureReport report = await VerifyOne(action);
        Assert.Equal(SignatureConclusion.Invalid, report.Conclusion);
        Assert.Contains("disallowed-change:catalog /OpenAction", report.Findings.Select(f => f.ToString()));
    }

    private static byte[] WithNote(byte[] signed, double y) => Append(signed, (document, update) =>
    {
        (PdfReference reference, PdfDictionary page) = document.EnumeratePages().First();
        var note = new PdfDictionary();
        note["Type"] = new PdfName("Annot");
        note["Subtype"] = new PdfName("FreeText");
        note["Rect"] = new PdfArray([new PdfNumber(60), new PdfNumber(y), new PdfNumber(500), new PdfNumber(y + 50)]);
        note["Contents"] = PdfString.Text("Dibatalkan");
        note["DA"] = PdfString.Text("/Helv 12 Tf 0 g");
        var annotations = new PdfArray((document.Resolve(page["Annots"]) as PdfArray)?.Items);
        annotations.Items.Add(update.Add(note));
        PdfDictionary replaced = page.Copy();
        replaced["Annots"] = annotations;
        update.Replace(reference, replaced);
    });

    [Fact]
    public async Task An_added_comment_is_allowed_unless_the_certification_forbids_it_or_it_covers_signed_text()
    {
        // Below the letter's only line of text (y = 720): a comment, which approval signatures allow.
        SignatureReport approval = await VerifyOne(WithNote(await Signed(), 400));
        Assert.True(approval.Conclusion == SignatureConclusion.Valid, string.Join("\n", approval.Findings));
        Assert.Contains("changes-after:annotation", approval.Findings.Select(f => f.ToString()));

        SignatureReport certified = await VerifyOne(WithNote(await Signed(new PdfSignatureOptions { Certification = DocMdpPermissions.FormFillingAndSigning }), 400));
        Assert.Equal(SignatureConclusion.Invalid, certified.Conclusion);
        Assert.Contains("disallowed-change:annotation (DocMDP P=2)", certified.Findings.Select(f => f.ToString()));

        SignatureReport annotationsAllowed = await VerifyOne(WithNote(await Signed(new PdfSignatureOptions { Certification = DocMdpPermissions.FormFillingSigningAndAnnotations }), 400));
        Assert.Equal(SignatureConclusion.Valid, annotationsAllowed.Conclusion);

        // Over the text: the "hide" shadow attack's overlay, refused whatever the certification allows.
        foreach (DocMdpPermissions? p in new DocMdpPermissions?[] { null, DocMdpPermissions.FormFillingSigningAndAnnotations })
        {
            SignatureReport overlay = await VerifyOne(WithNote(await Signed(new PdfSignatureOptions { Certification = p }), 700));
            Assert.Equal(SignatureConclusion.Invalid, overlay.Conclusion);
            Assert.Contains(overlay.Findings.Select(f => f.ToString()), f => f.StartsWith("disallowed-change:annotation-over-content", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Deleting_an_object_after_signing_is_invalid()
    {
        byte[] signed = await Signed();
        string text = System.Text.Encoding.Latin1.GetString(signed);
        // An update whose xref frees object 5 (the font).
        int startxref = int.Parse(text[(text.LastIndexOf("startxref", StringComparison.Ordinal) + 10)..].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        PdfDocument document = PdfDocument.Open(signed);
        string update = $"xref\n5 1\n0000000000 00001 f\r\ntrailer\n<< /Size {document.Size} /Root {((PdfReference)document.Trailer["Root"]!).Number} 0 R /Prev {startxref} >>\nstartxref\n{signed.Length}\n%%EOF\n";
        byte[] attacked = [.. signed, .. System.Text.Encoding.Latin1.GetBytes(update)];
        Assert.Contains((await VerifyOne(attacked)).Findings.Select(f => f.ToString()), f => f.StartsWith("disallowed-change:object-deleted", StringComparison.Ordinal));
    }
}
