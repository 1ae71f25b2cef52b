using System.Text;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Testing;

namespace Segel.Pdf.Tests;

/// <summary>
/// Revisions other software writes after a signature, each class the reference validators (pyHanko's diff analysis, EU
/// DSS's modification detection) tell apart: bookkeeping, validation data, form filling, annotations — allowed as the
/// signature and the document's certification say — and the changes that alter what a reader sees, never allowed.
/// The updates are written here as Adobe Reader writes them (<see cref="ForeignUpdate"/>: object streams, a
/// cross-reference stream, objects rewritten whole); pdfsig checks the signatures' bytes where it can.
/// </summary>
public sealed class DifferenceAnalysisTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    private System.Security.Cryptography.X509Certificates.X509Certificate2[] Root => [fixture.Identity.Chain[^1]];

    private const string Xmp = "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
        "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmp:ModifyDate=\"{0}\"/></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";

    private static PdfNewStream Metadata(string when) =>
        new(new PdfDictionary { ["Type"] = new PdfName("Metadata"), ["Subtype"] = new PdfName("XML") }, Encoding.UTF8.GetBytes(Xmp.Replace("{0}", when, StringComparison.Ordinal)));

    /// <summary>The sample letter with an XMP metadata stream, as most producers write one.</summary>
    private static byte[] LetterWithXmp()
    {
        byte[] letter = SamplePdf.Letter();
        PdfDocument document = PdfDocument.Open(letter);
        var update = new IncrementalUpdate(document);
        PdfDictionary catalog = document.Catalog.Copy();
        catalog["Metadata"] = update.Add(Metadata("2026-12-01T08:00:00+08:00"));
        update.Replace((PdfReference)document.Trailer["Root"]!, catalog);
        using var output = new MemoryStream();
        output.Write(letter);
        update.WriteTo(output, letter.Length);
        return output.ToArray();
    }

    private async Task<byte[]> Signed(PdfSignatureOptions? options = null, byte[]? pdf = null) =>
        File.ReadAllBytes(await fixture.SignAsync(pdf ?? LetterWithXmp(), $"diff-{Guid.NewGuid():N}.pdf", options ?? new PdfSignatureOptions { Reason = "Persetujuan" }));

    private async Task<IReadOnlyList<SignatureReport>> Verify(byte[] file) => await PdfVerifier.VerifyAsync(file, Root, fixture.Online);

    private static string Why(SignatureReport report) => string.Join("\n", report.Findings);

    private static IEnumerable<string> Codes(SignatureReport report) => report.Findings.Select(f => f.ToString());

    /// <summary>A second signature added the way Adobe Reader adds one: field and widget created on the fly in the revision that signs them,
    /// the page, form and catalog rewritten into an object stream, /Version raised, the XMP metadata and /Info updated in the same save.</summary>
    private async Task<byte[]> AdobeCoSignature(byte[] signed)
    {
        PdfDocument document = PdfDocument.Open(signed);
        var update = new ForeignUpdate(document);
        PdfReference signature = update.AddSignature("/Name (Rina Wulandari) /Reason (Mengetahui)");
        var appearance = new PdfDictionary { ["Type"] = new PdfName("XObject"), ["Subtype"] = new PdfName("Form"), ["BBox"] = Numbers(0, 0, 200, 50) };
        PdfDictionary catalog = document.Catalog.Copy();
        update.AddWidget(new PdfDictionary
        {
            ["Type"] = new PdfName("Annot"), ["Subtype"] = new PdfName("Widget"), ["FT"] = new PdfName("Sig"), ["T"] = PdfString.Text("Signature2"),
            ["V"] = signature, ["F"] = new PdfNumber(132), ["Rect"] = Numbers(350, 80, 550, 130),
            ["AP"] = new PdfDictionary { ["N"] = update.Add(new PdfNewStream(appearance, "q 0 0 0.6 rg 0 0 200 50 re f Q"u8.ToArray())) },
        }, catalog, form => form["SigFlags"] = new PdfNumber(3));
        catalog["Version"] = new PdfName("2.0");
        update.Replace((PdfReference)document.Trailer["Root"]!, catalog);
        update.Replace((PdfReference)catalog["Metadata"]!, Metadata("2026-12-04T10:00:00+08:00"));
        update.Rewrite((PdfReference)catalog["Pages"]!); // unchanged, rewritten into the object stream all the same
        return await update.WriteAsync(signed, fixture.Second);
    }

    private static PdfArray Numbers(params double[] values) => new(values.Select(v => new PdfNumber(v)));

    [Fact]
    public async Task A_co_signature_written_as_Adobe_Reader_writes_it_leaves_the_first_signature_valid()
    {
        byte[] file = await AdobeCoSignature(await Signed());
        string path = fixture.Write(file, "adobe-cosign.pdf");
        Tool.Result pdfsig = fixture.PdfSig(path);
        Assert.Equal(2, pdfsig.Stdout.Split("Signature is Valid").Length - 1);
        Assert.Contains("No syntax or stream encoding errors", Tool.Run("qpdf", "--check", path).Check().Stdout, StringComparison.Ordinal);

        IReadOnlyList<SignatureReport> reports = await Verify(file);
        Assert.Equal(2, reports.Count);
        Assert.True(reports[0].Conclusion == SignatureConclusion.Valid, Why(reports[0]));
        Assert.Equal(ChangeClass.FormFilling, reports[0].Changes);
        Assert.Contains("changes-after:signature", Codes(reports[0]));
        Assert.Contains("changes-after:metadata", Codes(reports[0]));
        Assert.True(reports[1].Conclusion == SignatureConclusion.Valid, Why(reports[1]));
        Assert.Equal(ChangeClass.None, reports[1].Changes);
        Assert.Contains("another signature was added after this one", ReportText.Changes(reports[0], new System.Globalization.CultureInfo("en")), StringComparison.Ordinal);
        Assert.Contains("tanda tangan lain ditambahkan", ReportText.Changes(reports[0], new System.Globalization.CultureInfo("id")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_co_signature_in_a_field_prepared_before_the_first_signature_leaves_it_valid()
    {
        // An empty signature field laid out by the letter's author, then Segel's signature, then the second signer fills the prepared field.
        byte[] letter = LetterWithXmp();
        PdfDocument plain = PdfDocument.Open(letter);
        var prepare = new ForeignUpdate(plain);
        PdfDictionary catalog = plain.Catalog.Copy();
        catalog["AcroForm"] = new PdfDictionary { ["Fields"] = new PdfArray() };
        prepare.AddWidget(new PdfDictionary
        {
            ["Type"] = new PdfName("Annot"), ["Subtype"] = new PdfName("Widget"), ["FT"] = new PdfName("Sig"), ["T"] = PdfString.Text("Mengetahui"),
            ["F"] = new PdfNumber(4), ["Rect"] = Numbers(350, 80, 550, 130),
        }, catalog);
        prepare.Replace((PdfReference)plain.Trailer["Root"]!, catalog);
        byte[] signed = await Signed(pdf: await prepare.WriteAsync(letter));

        PdfDocument document = PdfDocument.Open(signed);
        var update = new ForeignUpdate(document);
        PdfReference prepared = ((PdfArray)document.Resolve(((PdfDictionary)document.Resolve(document.Catalog["AcroForm"])!)["Fields"])!).Items.OfType<PdfReference>()
            .First(r => (document.GetObject(r.Number) as PdfDictionary)?["T"] is PdfString { } t && t.AsText() == "Mengetahui");
        PdfDictionary field = ((PdfDictionary)document.GetObject(prepared.Number)!).Copy();
        field["V"] = update.AddSignature("/Reason (Mengetahui)");
        var appearance = new PdfDictionary { ["Type"] = new PdfName("XObject"), ["Subtype"] = new PdfName("Form"), ["BBox"] = Numbers(0, 0, 200, 50) };
        field["AP"] = new PdfDictionary { ["N"] = update.Add(new PdfNewStream(appearance, "q 0 0.5 0 rg 0 0 200 50 re f Q"u8.ToArray())) };
        update.Replace(prepared, field);
        byte[] file = await update.WriteAsync(signed, fixture.Second);
        Assert.Equal(2, fixture.PdfSig(fixture.Write(file, "prepared-cosign.pdf")).Stdout.Split("Signature is Valid").Length - 1);

        IReadOnlyList<SignatureReport> reports = await Verify(file);
        Assert.Equal(2, reports.Count);
        SignatureReport first = reports.Single(r => r.Signer!.Contains("Budi", StringComparison.Ordinal));
        Assert.True(first.Conclusion == SignatureConclusion.Valid, Why(first));
        Assert.Equal(ChangeClass.FormFilling, first.Changes);
        Assert.Contains("changes-after:signature", Codes(first));
        Assert.All(reports, r => Assert.True(r.Conclusion == SignatureConclusion.Valid, Why(r)));
    }

    [Fact]
    public async Task Metadata_and_version_updates_and_objects_rewritten_unchanged_are_bookkeeping()
    {
        byte[] signed = await Signed();
        PdfDocument document = PdfDocument.Open(signed);
        var update = new ForeignUpdate(document);
        PdfDictionary catalog = document.Catalog.Copy();
        catalog["Version"] = new PdfName("2.0");
        // A new XMP stream under a new number, the old one freed, as Acrobat saves.
        update.Free((PdfReference)catalog["Metadata"]!);
        catalog["Metadata"] = update.Add(Metadata("2026-12-04T11:00:00+08:00"));
        update.Replace((PdfReference)document.Trailer["Root"]!, catalog);
        (PdfReference pageRef, PdfDictionary page) = document.EnumeratePages().First();
        update.Rewrite(pageRef);
        update.Rewrite((PdfReference)catalog["Pages"]!);
        var fonts = (PdfDictionary)document.Resolve(((PdfDictionary)document.Resolve(page["Resources"])!)["Font"])!;
        update.Rewrite((PdfReference)fonts["F1"]!);
        byte[] file = await update.WriteAsync(signed);

        SignatureReport report = Assert.Single(await Verify(file));
        Assert.True(report.Conclusion == SignatureConclusion.Valid, Why(report));
        Assert.Equal(ChangeClass.None, report.Changes);
        Assert.Equal(["changes-after:metadata"], Codes(report).Where(c => c.StartsWith("changes-after", StringComparison.Ordinal)));
        Assert.Contains("metadata", ReportText.Changes(report, new System.Globalization.CultureInfo("en")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_data_and_a_document_time_stamp_added_by_another_tool_are_validation_data()
    {
        // A B-LT signature (its DSS comes in a later revision), then a second signature whose signed revision holds that DSS.
        byte[] first = await Signed(new PdfSignatureOptions { Level = PadesLevel.BaselineLT, TimeStamps = fixture.TimeStamps, Revocation = fixture.Revocation });
        byte[] second = File.ReadAllBytes(await fixture.SignAsync(first, $"diff-{Guid.NewGuid():N}.pdf", new PdfSignatureOptions { Reason = "Mengetahui" }, fixture.Second));

        PdfDocument document = PdfDocument.Open(second);
        var update = new ForeignUpdate(document);
        PdfReference dssRef = (PdfReference)document.Catalog["DSS"]!;
        PdfDictionary dss = ((PdfDictionary)document.GetObject(dssRef.Number)!).Copy();
        PdfReference certificate = update.Add(new PdfNewStream(new PdfDictionary(), fixture.Second.Certificate.RawData));
        PdfObject certs = dss["Certs"]!;
        var grown = new PdfArray([.. ((PdfArray)document.Resolve(certs)!).Items, certificate]);
        if (certs is PdfReference certsRef)
        {
            update.Replace(certsRef, grown);
        }
        else
        {
            dss["Certs"] = grown;
        }
        dss["VRI"] = new PdfDictionary { [new string('A', 40)] = new PdfDictionary { ["Cert"] = new PdfArray([certificate]) } };
        update.Replace(dssRef, dss);
        byte[] file = await DocumentTimeStamp(await update.WriteAsync(second));
        string path = fixture.Write(file, $"foreign-dss-lta-{Guid.NewGuid():N}.pdf");
        Assert.Equal(2, fixture.PdfSig(path).Stdout.Split("Signature is Valid").Length - 1); // the two CAdES signatures
        (byte[] content, byte[] token) = SigningFixture.LastSignature(path);
        string name = Guid.NewGuid().ToString("N");
        File.WriteAllBytes(fixture.Directory.File(name + ".content"), content);
        File.WriteAllBytes(fixture.Directory.File(name + ".tst"), token);
        Tool.Result openssl = Tool.OpenSsl("ts", "-verify", "-data", fixture.Directory.File(name + ".content"), "-in", fixture.Directory.File(name + ".tst"), "-token_in", "-CAfile", fixture.ChainPem);
        Assert.True(openssl.ExitCode == 0, openssl.Output); // the document time-stamp, by openssl

        IReadOnlyList<SignatureReport> reports = await PdfVerifier.VerifyAsync(file, Root, fixture.Online with { Now = fixture.Time.GetUtcNow() });
        SignatureReport signature = reports.Single(r => r.Kind == "signature" && r.Signer!.Contains("Siti", StringComparison.Ordinal));
        Assert.True(signature.Conclusion == SignatureConclusion.Valid, Why(signature));
        Assert.Equal(ChangeClass.ValidationData, signature.Changes);
        Assert.Contains("changes-after:dss", Codes(signature));
        Assert.Contains("changes-after:timestamp", Codes(signature));
        Assert.Contains("only validation data", ReportText.Changes(signature, new System.Globalization.CultureInfo("en")), StringComparison.Ordinal);
    }

    /// <summary>A document time-stamp (ETSI.RFC3161) in a revision of its own, field and widget created with it, written as another tool would.</summary>
    private async Task<byte[]> DocumentTimeStamp(byte[] file)
    {
        PdfDocument document = PdfDocument.Open(file);
        var update = new ForeignUpdate(document);
        PdfDictionary catalog = document.Catalog.Copy();
        update.AddWidget(new PdfDictionary
        {
            ["Type"] = new PdfName("Annot"), ["Subtype"] = new PdfName("Widget"), ["FT"] = new PdfName("Sig"), ["T"] = PdfString.Text("Archive"),
            ["V"] = update.AddSignature(subFilter: "ETSI.RFC3161"), ["F"] = new PdfNumber(132), ["Rect"] = Numbers(0, 0, 0, 0),
        }, catalog);
        update.Replace((PdfReference)document.Trailer["Root"]!, catalog);
        return await update.WriteAsync(file, async content =>
        {
            var request = new Org.BouncyCastle.Tsp.TimeStampRequestGenerator();
            request.SetCertReq(true);
            byte[] query = request.Generate(Org.BouncyCastle.Tsp.TspAlgorithms.Sha256, System.Security.Cryptography.SHA256.HashData(content)).GetEncoded();
            return new Org.BouncyCastle.Tsp.TimeStampResponse((await fixture.TimeStamps.StampAsync(query)).ToArray()).TimeStampToken.GetEncoded();
        });
    }

    /// <summary>One change of each class, written by another tool after the signature.</summary>
    private async Task<byte[]> Change(byte[] signed, string kind)
    {
        PdfDocument document = PdfDocument.Open(signed);
        var update = new ForeignUpdate(document);
        switch (kind)
        {
            case "none":
                update.Replace((PdfReference)document.Catalog["Metadata"]!, Metadata("2026-12-04T12:00:00+08:00"));
                return await update.WriteAsync(signed);
            case "validation-data":
                PdfDictionary catalog = document.Catalog.Copy();
                catalog["DSS"] = update.Add(new PdfDictionary { ["Certs"] = new PdfArray([update.Add(new PdfNewStream(new PdfDictionary(), fixture.Identity.Certificate.RawData))]) });
                update.Replace((PdfReference)document.Trailer["Root"]!, catalog);
                return await update.WriteAsync(signed);
            case "form-filling":
                return await AdobeCoSignature(signed);
            default:
                return Note(signed, document, 500, 780); // a sticky note in the top margin, clear of the text
        }
    }

    /// <summary>A comment (a /Text note) at the given place on page 1.</summary>
    private static byte[] Note(byte[] signed, PdfDocument document, double x, double y, string subtype = "Text")
    {
        var update = new IncrementalUpdate(document);
        (PdfReference reference, PdfDictionary page) = document.EnumeratePages().First();
        var note = new PdfDictionary
        {
            ["Type"] = new PdfName("Annot"), ["Subtype"] = new PdfName(subtype), ["Rect"] = Numbers(x, y, x + 20, y + 20),
            ["Contents"] = PdfString.Text("Sudah diperiksa"),
        };
        PdfDictionary replaced = page.Copy();
        replaced["Annots"] = new PdfArray([.. (document.Resolve(page["Annots"]) as PdfArray)?.Items ?? [], update.Add(note)]);
        update.Replace(reference, replaced);
        using var output = new MemoryStream();
        output.Write(signed);
        update.WriteTo(output, signed.Length);
        return output.ToArray();
    }

    /// <summary>
    /// Each class held against each certification (and none): P=1 allows only validation data, P=2 adds form filling and
    /// signing, P=3 and approval signatures add annotations. Bookkeeping is allowed under all of them.
    /// </summary>
    [Theory]
    [InlineData("none", 0, true)]
    [InlineData("validation-data", 0, true)]
    [InlineData("form-filling", 0, true)]
    [InlineData("annotations", 0, true)]
    [InlineData("none", 1, true)]
    [InlineData("validation-data", 1, true)]
    [InlineData("form-filling", 1, false)]
    [InlineData("annotations", 1, false)]
    [InlineData("form-filling", 2, true)]
    [InlineData("annotations", 2, false)]
    [InlineData("form-filling", 3, true)]
    [InlineData("annotations", 3, true)]
    public async Task Each_class_is_allowed_as_the_certification_says(string kind, int p, bool allowed)
    {
        var options = new PdfSignatureOptions { Reason = "Pengesahan", Certification = p == 0 ? null : (DocMdpPermissions)p };
        byte[] file = await Change(await Signed(options), kind);
        SignatureReport report = (await Verify(file))[0];
        Assert.True((report.Conclusion == SignatureConclusion.Valid) == allowed, $"{kind} under P={p}:\n{Why(report)}");
        Assert.Equal(kind, System.Text.Json.JsonSerializer.Serialize(report.Changes).Trim('"'));
        if (!allowed)
        {
            Assert.Contains(Codes(report), c => c.EndsWith($"(DocMDP P={p})", StringComparison.Ordinal));
            Assert.Contains("did not allow", ReportText.Changes(report, new System.Globalization.CultureInfo("en")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_comment_over_signed_text_hides_it_and_a_removed_one_reveals_what_was_covered()
    {
        byte[] signed = await Signed();
        // The letter's text runs along y = 720 from x = 72.
        SignatureReport overlay = Assert.Single(await Verify(Note(signed, PdfDocument.Open(signed), 100, 715, "Square")));
        Assert.Equal(SignatureConclusion.Invalid, overlay.Conclusion);
        Assert.Equal(ChangeClass.Other, overlay.Changes);
        Assert.Contains(Codes(overlay), c => c.StartsWith("disallowed-change:annotation-over-content", StringComparison.Ordinal));
        Assert.Contains("do not trust", ReportText.Changes(overlay, new System.Globalization.CultureInfo("en")), StringComparison.Ordinal);

        // A highlight over the same text is drawn see-through: a comment, not a cover.
        SignatureReport highlight = Assert.Single(await Verify(Note(signed, PdfDocument.Open(signed), 100, 715, "Highlight")));
        Assert.True(highlight.Conclusion == SignatureConclusion.Valid, Why(highlight));
        Assert.Equal(ChangeClass.Annotations, highlight.Changes);

        // Signed while a box covered part of the text; the box taken away afterwards shows what the signer never saw.
        byte[] covered = Note(LetterWithXmp(), PdfDocument.Open(LetterWithXmp()), 100, 715, "Square");
        byte[] coveredSigned = await Signed(pdf: covered);
        PdfDocument document = PdfDocument.Open(coveredSigned);
        var update = new ForeignUpdate(document);
        (PdfReference pageRef, PdfDictionary page) = document.EnumeratePages().First();
        PdfDictionary uncovered = page.Copy();
        uncovered["Annots"] = new PdfArray(((PdfArray)document.Resolve(page["Annots"])!).Items.Where(item => (document.Resolve(item) as PdfDictionary)?.NameOf("Subtype") != "Square"));
        update.Replace(pageRef, uncovered);
        SignatureReport revealed = Assert.Single(await Verify(await update.WriteAsync(coveredSigned)));
        Assert.Equal(SignatureConclusion.Invalid, revealed.Conclusion);
        Assert.Contains(Codes(revealed), c => c.StartsWith("disallowed-change:annotation-over-content", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_page_added_after_signing_is_invalid()
    {
        byte[] signed = await Signed();
        PdfDocument document = PdfDocument.Open(signed);
        var update = new ForeignUpdate(document);
        var pagesRef = (PdfReference)document.Catalog["Pages"]!;
        PdfDictionary pages = ((PdfDictionary)document.GetObject(pagesRef.Number)!).Copy();
        (PdfReference _, PdfDictionary first) = document.EnumeratePages().First();
        PdfDictionary added = first.Copy();
        added["Contents"] = update.Add(new PdfNewStream(new PdfDictionary(), "BT /F1 18 Tf 72 720 Td (Lampiran: dana dicairkan) Tj ET"u8.ToArray()));
        pages["Kids"] = new PdfArray([.. ((PdfArray)document.Resolve(pages["Kids"])!).Items, update.Add(added)]);
        pages["Count"] = new PdfNumber(2);
        update.Replace(pagesRef, pages);
        SignatureReport report = Assert.Single(await Verify(await update.WriteAsync(signed)));
        Assert.Equal(SignatureConclusion.Invalid, report.Conclusion);
        Assert.Contains($"disallowed-change:page-tree {pagesRef.Number}", Codes(report));
    }

    [Fact]
    public async Task A_field_locked_by_the_signature_may_not_change_others_may()
    {
        // A form with two text fields, signed by another tool with a FieldMDP lock on "Nomor".
        byte[] letter = LetterWithXmp();
        PdfDocument plain = PdfDocument.Open(letter);
        var form = new ForeignUpdate(plain);
        (PdfReference pageRef, PdfDictionary page) = plain.EnumeratePages().First();
        PdfReference Text(string name, string value, double y) => form.Add(new PdfDictionary
        {
            ["Type"] = new PdfName("Annot"), ["Subtype"] = new PdfName("Widget"), ["FT"] = new PdfName("Tx"), ["T"] = PdfString.Text(name),
            ["V"] = PdfString.Text(value), ["Rect"] = Numbers(72, y, 300, y + 20), ["P"] = pageRef,
        });
        PdfReference nomor = Text("Nomor", "800/123", 600), catatan = Text("Catatan", "", 560);
        PdfReference signature = form.AddSignature("/Reference [<< /Type /SigRef /TransformMethod /FieldMDP /TransformParams << /Type /TransformParams /Action /Include /Fields [(Nomor)] /V /1.2 >> >>]");
        PdfReference sigField = form.Add(new PdfDictionary
        {
            ["Type"] = new PdfName("Annot"), ["Subtype"] = new PdfName("Widget"), ["FT"] = new PdfName("Sig"), ["T"] = PdfString.Text("Kepala"),
            ["V"] = signature, ["Rect"] = Numbers(0, 0, 0, 0), ["P"] = pageRef,
        });
        PdfDictionary withFields = page.Copy();
        withFields["Annots"] = new PdfArray([nomor, catatan, sigField]);
        form.Replace(pageRef, withFields);
        PdfDictionary catalog = plain.Catalog.Copy();
        catalog["AcroForm"] = new PdfDictionary { ["Fields"] = new PdfArray([nomor, catatan, sigField]), ["SigFlags"] = new PdfNumber(3) };
        form.Replace((PdfReference)plain.Trailer["Root"]!, catalog);
        byte[] signed = await form.WriteAsync(letter, fixture.Identity);

        async Task<SignatureReport> Filled(PdfReference field, string value)
        {
            PdfDocument document = PdfDocument.Open(signed);
            var update = new ForeignUpdate(document);
            PdfDictionary changed = ((PdfDictionary)document.GetObject(field.Number)!).Copy();
            changed["V"] = PdfString.Text(value);
            update.Replace(field, changed);
            return Assert.Single(await Verify(await update.WriteAsync(signed)));
        }
        SignatureReport other = await Filled(catatan, "Segera");
        Assert.True(other.Conclusion == SignatureConclusion.Valid, Why(other));
        Assert.Equal(ChangeClass.FormFilling, other.Changes);
        Assert.Contains("the form was filled in", ReportText.Changes(other, new System.Globalization.CultureInfo("en")), StringComparison.Ordinal);

        SignatureReport locked = await Filled(nomor, "800/999");
        Assert.Equal(SignatureConclusion.Invalid, locked.Conclusion);
        Assert.Contains("disallowed-change:locked-field Nomor", Codes(locked));
    }
}
