using System.Text;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;

namespace Segel.Pdf.Text;

/// <summary>Where a piece of text is drawn: its page, the left end of its baseline in user space, and its size.</summary>
public sealed record TextPosition(int Page, double X, double Y, double Width, double FontSize);

/// <summary>
/// Finds text on pages by running their content streams far enough to know where each glyph goes (ISO 32000-2
/// §9.4: the text and current transformation matrices, Td/TD/Tm/T*, Tc/Tw/Tz/TL/Ts, Tj/TJ/'/"), decoding
/// strings through the font's ToUnicode map or, for simple fonts, as single bytes. Glyphs are joined across
/// operators, so a marker the producing program split (e.g. "[qr_" and "bsre]") is still found. Text inside
/// Form XObjects is not searched.
/// </summary>
public static class TextLocator
{
    private const int MaxContentBytes = 16 * 1024 * 1024;

    /// <summary>Every place <paramref name="text"/> is drawn, page by page, in drawing order.</summary>
    public static IReadOnlyList<TextPosition> Find(PdfDocument document, string text)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrEmpty(text);
        var found = new List<TextPosition>();
        int number = 0;
        foreach ((PdfReference _, PdfDictionary page) in document.EnumeratePages())
        {
            number++;
            List<Glyph> glyphs = Glyphs(document, page);
            var joined = new StringBuilder();
            foreach (Glyph glyph in glyphs)
            {
                joined.Append(glyph.Text);
            }
            string all = joined.ToString();
            // Map each character of the joined text back to its glyph.
            var owner = new int[all.Length];
            for (int g = 0, c = 0; g < glyphs.Count; g++)
            {
                for (int k = 0; k < glyphs[g].Text.Length; k++)
                {
                    owner[c++] = g;
                }
            }
            for (int at = all.IndexOf(text, StringComparison.Ordinal); at >= 0; at = all.IndexOf(text, at + text.Length, StringComparison.Ordinal))
            {
                Glyph first = glyphs[owner[at]], last = glyphs[owner[at + text.Length - 1]];
                found.Add(new TextPosition(number, first.X, first.Y, Math.Max(0, last.X + last.Advance - first.X), first.Size));
            }
        }
        return found;
    }

    /// <summary>
    /// The boxes a page's visible glyphs occupy in user space (from a little below the baseline to about a capital's
    /// height above it), so a change analysis can tell whether something drawn later covers signed text.
    /// </summary>
    internal static IEnumerable<(double Left, double Bottom, double Right, double Top)> GlyphBoxes(PdfDocument document, PdfDictionary page) =>
        Glyphs(document, page).Where(g => !string.IsNullOrWhiteSpace(g.Text))
            .Select(g => (Math.Min(g.X, g.X + g.Advance), g.Y - (0.25 * g.Size), Math.Max(g.X, g.X + g.Advance), g.Y + (0.85 * g.Size)));

    private sealed record Glyph(string Text, double X, double Y, double Advance, double Size);

    private static List<Glyph> Glyphs(PdfDocument document, PdfDictionary page)
    {
        var glyphs = new List<Glyph>();
        PdfDictionary? resources = Inherited(document, page, "Resources") as PdfDictionary;
        PdfDictionary? fonts = document.Resolve(resources?["Font"]) as PdfDictionary;
        byte[] content = Content(document, page);
        var lexer = new PdfLexer(content);
        var operands = new List<PdfObject>();
        var stack = new Stack<Matrix>();
        Matrix ctm = Matrix.Identity, tm = Matrix.Identity, tlm = Matrix.Identity;
        FontInfo? font = null;
        double size = 0, charSpacing = 0, wordSpacing = 0, scale = 1, leading = 0, rise = 0;
        var fontCache = new Dictionary<string, FontInfo>(StringComparer.Ordinal);

        void Show(byte[] bytes)
        {
            if (font is null)
            {
                return;
            }
            foreach ((string text, double width, bool space) in font.Decode(bytes))
            {
                Matrix at = tm.Times(ctm);
                (double x, double y) = at.Apply(0, rise);
                double advance = ((width / 1000 * size) + charSpacing + (space ? wordSpacing : 0)) * scale;
                glyphs.Add(new Glyph(text, x, y, advance * Math.Sqrt((at.A * at.A) + (at.B * at.B)), size * Math.Sqrt((at.C * at.C) + (at.D * at.D))));
                tm = Matrix.Translation(advance, 0).Times(tm);
            }
        }

        double Number(int index) => index < operands.Count && operands[index] is PdfNumber n ? n.Value : 0;

        while (true)
        {
            lexer.SkipWhitespace();
            if (lexer.Position >= content.Length)
            {
                break;
            }
            byte b = content[lexer.Position];
            if (b is (byte)'/' or (byte)'(' or (byte)'[' or (byte)'<' or (byte)'+' or (byte)'-' or (byte)'.' || char.IsAsciiDigit((char)b))
            {
                try
                {
                    operands.Add(lexer.ReadObject());
                }
                catch (PdfFormatException)
                {
                    lexer.Position++;
                    operands.Clear();
                }
                continue;
            }
            string? op = lexer.ReadKeyword();
            if (op is null)
            {
                lexer.Position++;
                operands.Clear();
                continue;
            }
            switch (op)
            {
                case "q": stack.Push(ctm); break;
                case "Q": ctm = stack.Count > 0 ? stack.Pop() : Matrix.Identity; break;
                case "cm" when operands.Count == 6: ctm = Matrix.From(operands).Times(ctm); break;
                case "BT": tm = tlm = Matrix.Identity; break;
                case "Tf" when operands.Count == 2:
                    string name = (operands[0] as PdfName)?.Value ?? "";
                    if (!fontCache.TryGetValue(name, out FontInfo? info))
                    {
                        info = new FontInfo(document, document.Resolve(fonts?[name]) as PdfDictionary);
                        fontCache[name] = info;
                    }
                    font = info;
                    size = Number(1);
                    break;
                case "Tc": charSpacing = Number(0); break;
                case "Tw": wordSpacing = Number(0); break;
                case "Tz": scale = Number(0) / 100; break;
                case "TL": leading = Number(0); break;
                case "Ts": rise = Number(0); break;
                case "Td": tm = tlm = Matrix.Translation(Number(0), Number(1)).Times(tlm); break;
                case "TD": leading = -Number(1); tm = tlm = Matrix.Translation(Number(0), Number(1)).Times(tlm); break;
                case "Tm" when operands.Count == 6: tm = tlm = Matrix.From(operands); break;
                case "T*": tm = tlm = Matrix.Translation(0, -leading).Times(tlm); break;
                case "Tj" when operands.Count == 1 && operands[0] is PdfString s: Show(s.Bytes); break;
                case "'" when operands.Count == 1 && operands[0] is PdfString s:
                    tm = tlm = Matrix.Translation(0, -leading).Times(tlm);
                    Show(s.Bytes);
                    break;
                case "\"" when operands.Count == 3 && operands[2] is PdfString s:
                    wordSpacing = Number(0);
                    charSpacing = Number(1);
                    tm = tlm = Matrix.Translation(0, -leading).Times(tlm);
                    Show(s.Bytes);
                    break;
                case "TJ" when operands.Count == 1 && operands[0] is PdfArray parts:
                    foreach (PdfObject part in parts.Items)
                    {
                        if (part is PdfString piece)
                        {
                            Show(piece.Bytes);
                        }
                        else if (part is PdfNumber adjust)
                        {
                            tm = Matrix.Translation(-adjust.Value / 1000 * size * scale, 0).Times(tm);
                        }
                    }
                    break;
                case "BI":
                    // An inline image: its data is not PDF syntax; skip to the EI after ID.
                    int data = lexer.IndexOf("ID"u8, lexer.Position);
                    int end = data < 0 ? -1 : lexer.IndexOf("EI"u8, data + 3);
                    while (end > 0 && end + 2 < content.Length && !PdfLexer.IsWhite(content[end + 2]))
                    {
                        end = lexer.IndexOf("EI"u8, end + 2);
                    }
                    lexer.Position = end < 0 ? content.Length : end + 2;
                    break;
            }
            operands.Clear();
        }
        return glyphs;
    }

    private static PdfObject? Inherited(PdfDocument document, PdfDictionary page, string key)
    {
        PdfDictionary? node = page;
        for (int depth = 0; node is not null && depth < 64; depth++)
        {
            if (node[key] is { } value)
            {
                return document.Resolve(value);
            }
            node = document.Resolve(node["Parent"]) as PdfDictionary;
        }
        return null;
    }

    private static byte[] Content(PdfDocument document, PdfDictionary page)
    {
        PdfObject? contents = document.Resolve(page["Contents"]);
        IEnumerable<PdfObject> parts = contents is PdfArray array ? array.Items : contents is null ? [] : [contents];
        using var buffer = new MemoryStream();
        foreach (PdfObject part in parts)
        {
            if (document.Resolve(part) is PdfStream stream)
            {
                buffer.Write(document.Decode(stream));
                buffer.WriteByte((byte)'\n');
                if (buffer.Length > MaxContentBytes)
                {
                    throw new PdfFormatException("A page's content is larger than 16 MiB; Segel does not search it for text.");
                }
            }
        }
        return buffer.ToArray();
    }
}
