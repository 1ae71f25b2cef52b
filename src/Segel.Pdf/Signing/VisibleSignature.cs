using System.Globalization;
using System.Text;
using QRCoder;
using Segel.Pdf.Model;
using Segel.Texts;

namespace Segel.Pdf.Signing;

/// <summary>
/// Where and how a signature shows on the page: a box at (X, Y) of Width × Height points on a 1-based page,
/// with an optional QR code (a URL, later Segel's verification page) and lines of text, Bahasa Indonesia by default.
/// </summary>
public sealed record SignatureAppearance
{
    public int Page { get; init; } = 1;

    public double X { get; init; } = 360;

    public double Y { get; init; } = 72;

    public double Width { get; init; } = 200;

    public double Height { get; init; } = 70;

    public string? QrUrl { get; init; }

    /// <summary>
    /// Text on the page (such as <c>^</c> or <c>[qr_bsre]</c>) to centre the box on, in place of
    /// <see cref="Page"/>, <see cref="X"/> and <see cref="Y"/>; the first occurrence in the document wins.
    /// </summary>
    public string? Marker { get; init; }

    public IReadOnlyList<string> Lines { get; init; } = [];

    /// <summary>A scanned signature or seal (PNG or JPEG), drawn beside the QR code.</summary>
    public byte[]? Image { get; init; }

    /// <summary>The longest link a QR code carries: denser codes cannot be scanned from a printed signature box (and past 2,331 bytes none can be made).</summary>
    public const int MaxQrBytes = 1024;

    /// <summary>
    /// Checks what would otherwise fail only while the signature is drawn — after the key was unlocked — and throws an
    /// <see cref="ArgumentException"/> naming it: <c>qr</c> for the link, <c>data</c> for the image, <c>appearance</c> for the box.
    /// </summary>
    public void Check()
    {
        if (QrUrl is { } url && Encoding.UTF8.GetByteCount(url) > MaxQrBytes)
        {
            throw new SignatureInputException(Localized.Of("Error.QrCodeLinkLongerBytes", MaxQrBytes), "qr");
        }
        if (Width is <= 0 or > 2000 || Height is <= 0 or > 2000 || !double.IsFinite(X) || !double.IsFinite(Y))
        {
            throw new SignatureInputException(Localized.Of("Error.SignatureBoxOutOfRange"), "appearance");
        }
        if (Image is { } image)
        {
            _ = SignatureImage.Read(image);
        }
    }

    /// <summary>The usual lines: "Ditandatangani secara elektronik oleh", name, position, date.</summary>
    public static IReadOnlyList<string> DefaultLines(string name, string? position, DateTimeOffset when, string? reason, string? location)
    {
        var lines = new List<string> { "Ditandatangani secara elektronik oleh:", name };
        if (!string.IsNullOrWhiteSpace(position))
        {
            lines.Add(position);
        }
        lines.Add(when.ToOffset(TimeSpan.FromHours(8)).ToString("d MMMM yyyy HH:mm 'WITA'", CultureInfo.GetCultureInfo("id-ID")));
        if (!string.IsNullOrWhiteSpace(reason))
        {
            lines.Add("Alasan: " + reason);
        }
        if (!string.IsNullOrWhiteSpace(location))
        {
            lines.Add("Lokasi: " + location);
        }
        return lines;
    }
}

/// <summary>Draws a signature appearance as a Form XObject: a thin frame, a vector QR code, and text in Helvetica.</summary>
internal static class VisibleSignature
{
    public static PdfNewStream Appearance(SignatureAppearance appearance, PdfReference font, (PdfReference Reference, int Width, int Height)? image = null)
    {
        double w = appearance.Width, h = appearance.Height;
        var content = new StringBuilder();
        content.Append(Invariant($"q 0.35 0.35 0.35 RG 0.6 w 0.3 0.3 {w - 0.6} {h - 0.6} re S Q\n"));
        double textLeft = 4;
        if (!string.IsNullOrWhiteSpace(appearance.QrUrl))
        {
            double size = Math.Min(h - 6, w / 2);
            DrawQr(content, appearance.QrUrl, 3, (h - size) / 2, size);
            textLeft = size + 8;
        }
        if (image is { } picture)
        {
            double imageHeight = h - 6;
            double imageWidth = Math.Min(w / 3, imageHeight * picture.Width / picture.Height);
            imageHeight = imageWidth * picture.Height / picture.Width;
            content.Append(Invariant($"q {imageWidth:0.###} 0 0 {imageHeight:0.###} {textLeft:0.###} {(h - imageHeight) / 2:0.###} cm /Im1 Do Q\n"));
            textLeft += imageWidth + 4;
        }
        IReadOnlyList<string> lines = appearance.Lines;
        if (lines.Count > 0)
        {
            double fontSize = Math.Clamp((h - 6) / (lines.Count * 1.2), 4, 10);
            double widest = lines.Max(l => l.Length) * fontSize * 0.5;
            fontSize = Math.Max(4, fontSize * Math.Min(1, (w - textLeft - 4) / Math.Max(1, widest)));
            double y = h - 3 - fontSize;
            content.Append(Invariant($"BT /F1 {fontSize:0.##} Tf 0 g\n"));
            foreach (string line in lines)
            {
                content.Append(Invariant($"1 0 0 1 {textLeft:0.##} {y:0.##} Tm ({Escape(line)}) Tj\n"));
                y -= fontSize * 1.2;
            }
            content.Append("ET\n");
        }
        var dictionary = new PdfDictionary();
        dictionary["Type"] = new PdfName("XObject");
        dictionary["Subtype"] = new PdfName("Form");
        dictionary["BBox"] = new PdfArray([new PdfNumber(0), new PdfNumber(0), new PdfNumber(w), new PdfNumber(h)]);
        var fonts = new PdfDictionary();
        fonts["F1"] = font;
        var resources = new PdfDictionary();
        resources["Font"] = fonts;
        if (image is { } drawn)
        {
            var xobjects = new PdfDictionary();
            xobjects["Im1"] = drawn.Reference;
            resources["XObject"] = xobjects;
        }
        dictionary["Resources"] = resources;
        return new PdfNewStream(dictionary, Encoding.Latin1.GetBytes(content.ToString()));
    }

    public static PdfDictionary Font()
    {
        var font = new PdfDictionary();
        font["Type"] = new PdfName("Font");
        font["Subtype"] = new PdfName("Type1");
        font["BaseFont"] = new PdfName("Helvetica");
        font["Encoding"] = new PdfName("WinAnsiEncoding");
        return font;
    }

    /// <summary>The QR code as filled squares: sharp at any zoom and printer, and a few hundred bytes.</summary>
    private static void DrawQr(StringBuilder content, string url, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using QRCodeData data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        List<System.Collections.BitArray> matrix = data.ModuleMatrix;
        int n = matrix.Count;
        double module = size / n;
        content.Append("q 0 g\n");
        for (int row = 0; row < n; row++)
        {
            for (int column = 0; column < n; column++)
            {
                if (matrix[row][column])
                {
                    content.Append(Invariant($"{x + column * module:0.###} {y + (n - 1 - row) * module:0.###} {module:0.###} {module:0.###} re\n"));
                }
            }
        }
        content.Append("f Q\n");
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (char c in text)
        {
            // Helvetica with WinAnsiEncoding covers Latin-1; other characters become '?'.
            char shown = c <= 0xFF ? c : '?';
            if (shown is '(' or ')' or '\\')
            {
                escaped.Append('\\');
            }
            escaped.Append(shown);
        }
        return escaped.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
