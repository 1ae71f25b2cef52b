using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pdf.Text;
using Segel.Testing;

namespace Segel.Pdf.Tests;

/// <summary>Signatures placed at a text marker, as e-government templates mark the spot with "^" or "[qr_bsre]".</summary>
public sealed class TextMarkerTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    private const string Template = "BT /F1 12 Tf 100 200 Td ([qr_bsre]) Tj ET BT /F1 12 Tf 300 150 Td [(Kepala ) -250 (Dinas)] TJ ET";

    [Fact]
    public void Finds_a_marker_where_it_is_drawn_in_a_hand_written_file_and_in_one_cairo_rewrote()
    {
        TextPosition plain = Assert.Single(TextLocator.Find(PdfDocument.Open(SamplePdf.Page(Template)), "[qr_bsre]"));
        Assert.Equal((1, 100.0, 200.0, 12.0), (plain.Page, plain.X, plain.Y, plain.FontSize));
        Assert.Single(TextLocator.Find(PdfDocument.Open(SamplePdf.Page(Template)), "Kepala Dinas"));

        // poppler's pdftocairo writes it again its own way: a flipped CTM, an embedded TrueType subset with
        // ToUnicode and widths, the marker split into kerned pieces.
        string original = fixture.Write(SamplePdf.Page(Template), "marker.pdf");
        string cairo = fixture.Directory.File("marker-cairo.pdf");
        Tool.Run("pdftocairo", "-pdf", original, cairo).Check();
        TextPosition rewritten = Assert.Single(TextLocator.Find(PdfDocument.Open(File.ReadAllBytes(cairo)), "[qr_bsre]"));
        Assert.Equal(100, rewritten.X, 0.5);
        Assert.Equal(200, rewritten.Y, 0.5);
        Assert.Equal(12, rewritten.FontSize, 0.01);
        // pdftotext's own measure of the marker's width, against ours.
        Assert.InRange(rewritten.Width, 45, 50);
    }

    [Fact]
    public async Task A_signature_at_a_marker_is_centred_on_it_and_valid()
    {
        byte[] template = SamplePdf.Page(Template);
        string signed = await fixture.SignAsync(template, "marker-signed.pdf", new PdfSignatureOptions
        {
            Appearance = new SignatureAppearance { Marker = "[qr_bsre]", Width = 120, Height = 60, QrUrl = "https://segel.tanahbumbukab.go.id/verify/7", Lines = ["Budi Santoso"] },
        });
        Tool.Result pdfsig = fixture.PdfSig(signed);
        Assert.Contains("Signature is Valid", pdfsig.Stdout, StringComparison.Ordinal);
        string text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(signed));
        TextPosition marker = TextLocator.Find(PdfDocument.Open(template), "[qr_bsre]")[0];
        double centreX = marker.X + (marker.Width / 2);
        Assert.Contains($"/Rect [{Math.Round(centreX - 60, 2).ToString(System.Globalization.CultureInfo.InvariantCulture)} ", text, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<ArgumentException>(async () => await fixture.SignAsync(template, "marker-missing.pdf", new PdfSignatureOptions
        {
            Appearance = new SignatureAppearance { Marker = "^" },
        }));
        Assert.Contains("'^' is not on any page", missing.Message, StringComparison.Ordinal);
    }
}
