using System.Globalization;
using System.Text;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;

namespace Segel.Pdf.Text;

/// <summary>
/// Enough of a font to place text: how string bytes split into character codes (one byte, or two for Type0
/// fonts), the Unicode text of each code (ToUnicode, else the byte itself), and each code's width.
/// </summary>
internal sealed class FontInfo
{
    private readonly bool _twoByte;
    private readonly Dictionary<int, string> _unicode = [];
    private readonly Dictionary<int, double> _widths = [];
    private readonly double _defaultWidth;

    public FontInfo(PdfDocument document, PdfDictionary? font)
    {
        if (font is null)
        {
            _defaultWidth = 500;
            return;
        }
        _twoByte = font.NameOf("Subtype") == "Type0";
        if (_twoByte)
        {
            var descendant = (document.Resolve(font["DescendantFonts"]) as PdfArray)?.Items.Select(document.Resolve).OfType<PdfDictionary>().FirstOrDefault();
            _defaultWidth = (document.Resolve(descendant?["DW"]) as PdfNumber)?.Value ?? 1000;
            ReadCidWidths(document, document.Resolve(descendant?["W"]) as PdfArray);
        }
        else
        {
            string baseFont = font.NameOf("BaseFont") ?? "";
            _defaultWidth = baseFont.Contains("Courier", StringComparison.Ordinal) ? 600 : 500;
            int first = (int)((document.Resolve(font["FirstChar"]) as PdfNumber)?.Value ?? 0);
            if (document.Resolve(font["Widths"]) is PdfArray widths)
            {
                for (int i = 0; i < widths.Count && i < 256; i++)
                {
                    if (document.Resolve(widths[i]) is PdfNumber w)
                    {
                        _widths[first + i] = w.Value;
                    }
                }
            }
        }
        if (document.Resolve(font["ToUnicode"]) is PdfStream map)
        {
            try
            {
                ReadToUnicode(document.Decode(map));
            }
            catch (PdfFormatException e) when (e is not PdfLimitException)
            {
                // A broken map: fall back to the bytes themselves.
            }
        }
    }

    public IEnumerable<(string Text, double Width, bool Space)> Decode(byte[] bytes)
    {
        int step = _twoByte ? 2 : 1;
        for (int i = 0; i + step <= bytes.Length; i += step)
        {
            int code = _twoByte ? (bytes[i] << 8) | bytes[i + 1] : bytes[i];
            string text = _unicode.TryGetValue(code, out string? mapped) ? mapped : _twoByte ? "\uFFFD" : ((char)code).ToString();
            yield return (text, _widths.TryGetValue(code, out double width) ? width : _defaultWidth, !_twoByte && code == 32);
        }
    }

    private void ReadCidWidths(PdfDocument document, PdfArray? w)
    {
        if (w is null)
        {
            return;
        }
        for (int i = 0; i < w.Count && _widths.Count < 65536;)
        {
            if (document.Resolve(w[i]) is not PdfNumber start)
            {
                break;
            }
            if (i + 1 < w.Count && document.Resolve(w[i + 1]) is PdfArray list)
            {
                for (int k = 0; k < list.Count; k++)
                {
                    _widths[(int)start.Value + k] = (document.Resolve(list[k]) as PdfNumber)?.Value ?? _defaultWidth;
                }
                i += 2;
            }
            else if (i + 2 < w.Count && document.Resolve(w[i + 1]) is PdfNumber end && document.Resolve(w[i + 2]) is PdfNumber width)
            {
                for (int c = (int)start.Value; c <= (int)end.Value && c - (int)start.Value < 65536; c++)
                {
                    _widths[c] = width.Value;
                }
                i += 3;
            }
            else
            {
                break;
            }
        }
    }

    /// <summary>The bfchar and bfrange sections of a ToUnicode CMap (ISO 32000-2 §9.10.3).</summary>
    private void ReadToUnicode(byte[] cmap)
    {
        var lexer = new PdfLexer(cmap);
        var operands = new List<PdfObject>();
        string? section = null;
        while (true)
        {
            lexer.SkipWhitespace();
            if (lexer.Position >= cmap.Length || _unicode.Count > 65536)
            {
                return;
            }
            byte b = cmap[lexer.Position];
            if (b is (byte)'<' or (byte)'[' or (byte)'/' or (byte)'(' || char.IsAsciiDigit((char)b))
            {
                operands.Add(lexer.ReadObject());
                continue;
            }
            string? word = lexer.ReadKeyword();
            if (word is null)
            {
                lexer.Position++;
                continue;
            }
            if (word is "beginbfchar" or "beginbfrange")
            {
                section = word;
            }
            else if (word is "endbfchar" or "endbfrange")
            {
                Apply(section!, operands);
                section = null;
            }
            operands.Clear();
        }
    }

    private void Apply(string section, List<PdfObject> items)
    {
        if (section == "beginbfchar")
        {
            for (int i = 0; i + 1 < items.Count; i += 2)
            {
                if (items[i] is PdfString code && items[i + 1] is PdfString text)
                {
                    _unicode[Code(code.Bytes)] = Utf16(text.Bytes);
                }
            }
            return;
        }
        for (int i = 0; i + 2 < items.Count; i += 3)
        {
            if (items[i] is not PdfString low || items[i + 1] is not PdfString high)
            {
                continue;
            }
            int from = Code(low.Bytes), to = Code(high.Bytes);
            for (int c = from; c <= to && c - from < 65536; c++)
            {
                if (items[i + 2] is PdfString start)
                {
                    byte[] value = (byte[])start.Bytes.Clone();
                    if (value.Length > 0)
                    {
                        int last = value[^1] + (c - from);
                        value[^1] = (byte)last;
                        if (value.Length > 1)
                        {
                            value[^2] = (byte)(value[^2] + (last >> 8));
                        }
                    }
                    _unicode[c] = Utf16(value);
                }
                else if (items[i + 2] is PdfArray list && c - from < list.Count && list[c - from] is PdfString each)
                {
                    _unicode[c] = Utf16(each.Bytes);
                }
            }
        }
    }

    private static int Code(byte[] bytes) => bytes.Aggregate(0, (value, b) => (value << 8) | b);

    private static string Utf16(byte[] bytes) => bytes.Length % 2 == 0 ? Encoding.BigEndianUnicode.GetString(bytes) : Encoding.Latin1.GetString(bytes);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"font ({(_twoByte ? "two-byte" : "one-byte")}, {_unicode.Count} mapped)");
}
