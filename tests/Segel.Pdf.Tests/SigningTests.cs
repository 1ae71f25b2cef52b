using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Testing;

namespace Segel.Pdf.Tests;

/// <summary>Segel's signatures as independent tools see them: qpdf, poppler's pdfsig, openssl cms.</summary>
public sealed class SigningTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    private static void AssertValidLastSignature(Tool.Result pdfsig, int count)
    {
        Assert.True(pdfsig.ExitCode == 0, pdfsig.Output);
        Assert.Contains($"Signature #{count}", pdfsig.Stdout, StringComparison.Ordinal);
        string last = pdfsig.Stdout[pdfsig.Stdout.IndexOf($"Signature #{count}", StringComparison.Ordinal)..];
        foreach (string expected in new[] { "Signature is Valid", "Certificate is Trusted", "Total document signed", "ETSI.CAdES.detached" })
        {
            Assert.True(last.Contains(expected, StringComparison.Ordinal), $"pdfsig does not say '{expected}':\n{pdfsig.Output}");
        }
    }

    /// <summary>The same letter in each structure the signer must handle, made by qpdf from the hand-written original.</summary>
    public static TheoryData<string, string[]> Structures => new()
    {
        { "classic-table", [] },
        { "xref-stream-and-object-streams", ["--object-streams=generate"] },
        { "linearized", ["--linearize"] },
        { "linearized-object-streams", ["--linearize", "--object-streams=generate"] },
        { "pdf-1.3", ["--force-version=1.3"] },
        { "pdf-2.0", ["--force-version=2.0"] },
        { "compressed-streams-qdf", ["--qdf", "--object-streams=disable"] },
    };

    [Theory]
    [MemberData(nameof(Structures))]
    public async Task Signs_every_structure_so_that_qpdf_pdfsig_and_openssl_accept_it(string name, string[] qpdf)
    {
        string original = fixture.Write(SamplePdf.Letter(pages: 3), name + ".in.pdf");
        string prepared = original;
        if (qpdf.Length > 0)
        {
            prepared = fixture.Directory.File(name + ".prepared.pdf");
            Tool.Run("qpdf", [.. qpdf, original, prepared]).Check();
        }
        byte[] input = File.ReadAllBytes(prepared);
        string signed = await fixture.SignAsync(input, name + ".signed.pdf");

        // The original bytes are untouched: the signed file starts with them.
        byte[] output = File.ReadAllBytes(signed);
        Assert.True(output.AsSpan(0, input.Length).SequenceEqual(input));

        Assert.Contains("No syntax or stream encoding errors", Tool.Run("qpdf", "--check", signed).Check().Stdout, StringComparison.Ordinal);
        AssertValidLastSignature(fixture.PdfSig(signed), 1);

        (byte[] content, byte[] cms) = SigningFixture.LastSignature(signed);
        File.WriteAllBytes(fixture.Directory.File(name + ".content"), content);
        File.WriteAllBytes(fixture.Directory.File(name + ".p7s"), cms);
        Tool.Result openssl = Tool.OpenSsl("cms", "-verify", "-binary", "-inform", "DER", "-in", fixture.Directory.File(name + ".p7s"),
            "-content", fixture.Directory.File(name + ".content"), "-CAfile", fixture.ChainPem, "-purpose", "any", "-out", "/dev/null");
        Assert.True(openssl.ExitCode == 0, openssl.Output);
        Assert.Contains("Verification successful", openssl.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// Two people sign one letter. (Two signatures by the same certificate are valid too, but poppler 22.12 then
    /// reports the second certificate as an "unknown issue": an NSS quirk seen with its temporary certificates.)
    /// </summary>
    [Fact]
    public async Task Signing_a_signed_file_again_keeps_the_first_signature_valid()
    {
        string once = await fixture.SignAsync(SamplePdf.Letter(), "twice.1.pdf");
        string twice = await fixture.SignAsync(File.ReadAllBytes(once), "twice.2.pdf", new PdfSignatureOptions { Reason = "Mengetahui" }, fixture.Second);
        Tool.Result pdfsig = fixture.PdfSig(twice);
        AssertValidLastSignature(pdfsig, 2);
        string first = pdfsig.Stdout[pdfsig.Stdout.IndexOf("Signature #1", StringComparison.Ordinal)..pdfsig.Stdout.IndexOf("Signature #2", StringComparison.Ordinal)];
        Assert.Contains("Signature is Valid", first, StringComparison.Ordinal);
        Assert.Contains("Not total document signed", first, StringComparison.Ordinal);
        Tool.Run("qpdf", "--check", twice).Check();
    }

    [Fact]
    public async Task A_signature_time_stamp_from_segels_tsa_makes_it_b_t_and_readers_still_accept_it()
    {
        string signed = await fixture.SignAsync(SamplePdf.Letter(), "b-t.pdf", new PdfSignatureOptions { Reason = "Menyetujui", Level = PadesLevel.BaselineT, TimeStamps = fixture.TimeStamps });
        AssertValidLastSignature(fixture.PdfSig(signed), 1);
        (byte[] content, byte[] cms) = SigningFixture.LastSignature(signed);
        File.WriteAllBytes(fixture.Directory.File("b-t.content"), content);
        File.WriteAllBytes(fixture.Directory.File("b-t.p7s"), cms);
        Tool.OpenSsl("cms", "-verify", "-binary", "-inform", "DER", "-in", fixture.Directory.File("b-t.p7s"), "-content", fixture.Directory.File("b-t.content"),
            "-CAfile", fixture.ChainPem, "-purpose", "any", "-out", "/dev/null").Check();
        Assert.Contains("id-smime-aa-timeStampToken", Tool.OpenSsl("cms", "-cmsout", "-print", "-inform", "DER", "-in", fixture.Directory.File("b-t.p7s")).Check().Stdout,
            StringComparison.Ordinal);

        Segel.Pdf.Verification.SignatureReport report = Assert.Single(await Segel.Pdf.Verification.PdfVerifier.VerifyAsync(File.ReadAllBytes(signed), [fixture.Identity.Chain[^1]], fixture.Online));
        Assert.Equal(Segel.Pdf.Verification.SignatureConclusion.Valid, report.Conclusion);
        Assert.NotNull(report.TimeStamp);
        Assert.Contains(report.Findings.Select(f => f.ToString()), f => f.StartsWith("timestamp-valid:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_visible_signature_with_a_qr_code_renders_on_the_chosen_page_and_stays_valid()
    {
        byte[] letter = SamplePdf.Letter(pages: 2);
        var appearance = new SignatureAppearance
        {
            Page = 2,
            X = 330,
            Y = 80,
            Width = 230,
            Height = 80,
            QrUrl = "https://segel.tanahbumbukab.go.id/verify/7f3a9c",
            Lines = SignatureAppearance.DefaultLines("Budi Santoso", "Kepala Bidang Persandian", DateTimeOffset.UtcNow, "Menyetujui", "Batulicin"),
        };
        string signed = await fixture.SignAsync(letter, "visible.pdf", new PdfSignatureOptions { Reason = "Menyetujui", Appearance = appearance });
        Tool.Run("qpdf", "--check", signed).Check();
        AssertValidLastSignature(fixture.PdfSig(signed), 1);

        // poppler draws it: page 2 rendered before and after signing differs, page 1 does not.
        string before = fixture.Write(letter, "visible-before.pdf");
        Tool.Run("pdftoppm", "-png", "-r", "60", before, fixture.Directory.File("before")).Check();
        Tool.Run("pdftoppm", "-png", "-r", "60", signed, fixture.Directory.File("after")).Check();
        Assert.Equal(File.ReadAllBytes(fixture.Directory.File("before-1.png")), File.ReadAllBytes(fixture.Directory.File("after-1.png")));
        Assert.NotEqual(File.ReadAllBytes(fixture.Directory.File("before-2.png")), File.ReadAllBytes(fixture.Directory.File("after-2.png")));
        // Kept with the test output, to look at.
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts"));
        Tool.Run("pdftoppm", "-png", "-r", "100", "-f", "2", "-l", "2", signed, Path.Combine(AppContext.BaseDirectory, "artifacts", "visible-signature")).Check();

        await Assert.ThrowsAsync<ArgumentException>(async () => await fixture.SignAsync(letter, "visible-bad.pdf", new PdfSignatureOptions { Appearance = appearance with { Page = 3 } }));
    }

    [Theory]
    [InlineData("png-with-transparency")]
    [InlineData("png-rgb")]
    [InlineData("jpeg")]
    public async Task A_signature_image_is_drawn_and_the_signature_stays_valid(string kind)
    {
        byte[] image = kind switch
        {
            "png-with-transparency" => TestImages.Png(120, 40, alpha: true),
            "png-rgb" => TestImages.Png(120, 40, alpha: false),
            _ => Jpeg(),
        };
        var appearance = new SignatureAppearance { Page = 1, X = 300, Y = 60, Width = 250, Height = 70, Image = image, QrUrl = "https://segel.example/verify/1",
            Lines = ["Ditandatangani secara elektronik oleh:", "Budi Santoso"] };
        string signed = await fixture.SignAsync(SamplePdf.Letter(), $"image-{kind}.pdf", new PdfSignatureOptions { Appearance = appearance });
        Tool.Run("qpdf", "--check", signed).Check();
        AssertValidLastSignature(fixture.PdfSig(signed), 1);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts"));
        Tool.Run("pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", signed, Path.Combine(AppContext.BaseDirectory, "artifacts", $"image-{kind}")).Check();
        await Assert.ThrowsAsync<SignatureInputException>(async () => await fixture.SignAsync(SamplePdf.Letter(), "image-bad.pdf",
            new PdfSignatureOptions { Appearance = appearance with { Image = "GIF89a"u8.ToArray() } }));

        byte[] Jpeg()
        {
            string page = fixture.Write(SamplePdf.Letter("Tanda tangan"), "for-jpeg.pdf");
            Tool.Run("pdftoppm", "-jpeg", "-r", "20", "-f", "1", "-l", "1", page, fixture.Directory.File("scan")).Check();
            return File.ReadAllBytes(fixture.Directory.File("scan-1.jpg"));
        }
    }

    [Fact]
    public async Task A_changed_byte_in_the_signed_range_makes_pdfsig_report_the_signature_invalid()
    {
        string signed = await fixture.SignAsync(SamplePdf.Letter(), "tamper.pdf");
        byte[] bytes = File.ReadAllBytes(signed);
        int at = System.Text.Encoding.Latin1.GetString(bytes).IndexOf("Surat Dinas", StringComparison.Ordinal);
        bytes[at] = (byte)'X';
        string tampered = fixture.Write(bytes, "tampered.pdf");
        Assert.DoesNotContain("Signature is Valid", fixture.PdfSig(tampered).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_input_is_a_clear_error()
    {
        using var output = new MemoryStream();
        Assert.Contains("not a PDF", (await Assert.ThrowsAsync<PdfFormatException>(async () => await PdfSigner.SignAsync("hello"u8.ToArray(), output, fixture.Identity, new()))).Message, StringComparison.Ordinal);
        byte[] letter = SamplePdf.Letter();
        Assert.Contains("startxref", (await Assert.ThrowsAsync<PdfFormatException>(async () => await PdfSigner.SignAsync(letter.AsMemory(0, letter.Length / 2), output, fixture.Identity, new()))).Message, StringComparison.Ordinal);
        string original = fixture.Write(letter, "plain.pdf");
        string encrypted = fixture.Directory.File("encrypted.pdf");
        Tool.Run("qpdf", "--encrypt", "rahasia", "pemilik", "256", "--", original, encrypted).Check();
        Assert.Contains("protected by a password", (await Assert.ThrowsAsync<Security.PdfPasswordException>(async () => await PdfSigner.SignAsync(File.ReadAllBytes(encrypted), output, fixture.Identity, new()))).Message, StringComparison.Ordinal);
        Assert.Contains("does not open", (await Assert.ThrowsAsync<Security.PdfPasswordException>(async () => await PdfSigner.SignAsync(File.ReadAllBytes(encrypted), output, fixture.Identity, new() { Password = "salah" }))).Message, StringComparison.Ordinal);
    }
}
