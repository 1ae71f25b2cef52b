using System.Globalization;
using System.Text;

namespace Segel.Pdf.Writing;

/// <summary>
/// Small, plain PDFs: A4 pages of Helvetica text with a classic cross-reference table. For demonstration letters
/// and test fixtures, not for typesetting; text is ASCII (WinAnsi), and each page's content stream is given whole.
/// </summary>
public static class PlainPdf
{
    /// <summary>A4 pages, each drawing its content stream; Helvetica is <c>/F1</c>.</summary>
    public static byte[] Pages(IReadOnlyList<string> contents, string version = "1.7")
    {
        ArgumentNullException.ThrowIfNull(contents);
        int pages = contents.Count;
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            $"<< /Type /Pages /Kids [{string.Join(" ", Enumerable.Range(0, pages).Select(i => $"{3 + 2 * i} 0 R"))}] /Count {pages} >>",
        };
        int font = 3 + 2 * pages;
        foreach (string content in contents)
        {
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {objects.Count + 2} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>");
            objects.Add($"<< /Length {Encoding.Latin1.GetByteCount(content)} >>\nstream\n{content}\nendstream");
        }
        objects.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        return Build(objects, version);
    }

    /// <summary>A content stream writing <paramref name="lines"/> from the top left of an A4 page, the first in a larger size.</summary>
    public static string TextLines(IEnumerable<string> lines, double size = 11, double titleSize = 14)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var content = new StringBuilder();
        double y = 770;
        bool first = true;
        foreach (string line in lines)
        {
            double fontSize = first ? titleSize : size;
            content.Append(CultureInfo.InvariantCulture, $"BT /F1 {fontSize} Tf 72 {y} Td ({Escape(line)}) Tj ET\n");
            y -= fontSize * 1.6;
            first = false;
        }
        return content.ToString();
    }

    /// <summary>A PDF string literal's text: backslash and parentheses escaped, anything outside Latin-1 replaced.</summary>
    public static string Escape(string text)
    {
        string latin = new((text ?? "").Select(c => c > 0xFF ? '?' : c).ToArray());
        return latin.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("(", "\\(", StringComparison.Ordinal).Replace(")", "\\)", StringComparison.Ordinal);
    }

    private static byte[] Build(List<string> objects, string version) => Build(objects, version, "");

    /// <summary>Objects numbered from 1 (the first the catalog) with a classic cross-reference table; <paramref name="trailer"/> adds entries such as <c>/Info</c>.</summary>
    internal static byte[] Build(IReadOnlyList<string> objects, string version, string trailer)
    {
        var pdf = new StringBuilder($"%PDF-{version}\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<int>();
        for (int i = 0; i < objects.Count; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(pdf.ToString()));
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        int xref = Encoding.Latin1.GetByteCount(pdf.ToString());
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f\r\n");
        foreach (int offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n\r\n");
        }
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R{trailer} >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }
}
