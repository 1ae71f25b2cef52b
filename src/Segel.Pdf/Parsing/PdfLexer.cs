using System.Globalization;
using System.Text;
using Segel.Pdf.Model;

namespace Segel.Pdf.Parsing;

/// <summary>
/// Reads PDF objects from bytes (ISO 32000-2 §7.2–7.3). Hostile input is expected: nesting is bounded, every
/// loop advances, and a malformed token is a <see cref="PdfFormatException"/>, never an index error.
/// </summary>
internal sealed class PdfLexer
{
    public const int MaxDepth = 64;
    private readonly ReadOnlyMemory<byte> _data;

    public PdfLexer(ReadOnlyMemory<byte> data, int position = 0)
    {
        _data = data;
        Position = position;
    }

    public int Position { get; set; }

    public int Length => _data.Length;

    private ReadOnlySpan<byte> Data => _data.Span;

    public static bool IsWhite(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    public static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    public void SkipWhitespace()
    {
        ReadOnlySpan<byte> data = Data;
        while (Position < data.Length)
        {
            byte b = data[Position];
            if (IsWhite(b))
            {
                Position++;
            }
            else if (b == '%')
            {
                while (Position < data.Length && data[Position] is not ((byte)'\r' or (byte)'\n'))
                {
                    Position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>The next regular token (a keyword or number) without consuming it, or null at a delimiter or the end.</summary>
    public string? PeekKeyword()
    {
        int saved = Position;
        string? word = ReadKeyword();
        Position = saved;
        return word;
    }

    public string? ReadKeyword()
    {
        SkipWhitespace();
        ReadOnlySpan<byte> data = Data;
        int start = Position;
        while (Position < data.Length && !IsWhite(data[Position]) && !IsDelimiter(data[Position]))
        {
            Position++;
        }
        return Position > start ? Encoding.ASCII.GetString(data[start..Position]) : null;
    }

    public void Expect(string keyword)
    {
        string? word = ReadKeyword();
        if (word != keyword)
        {
            throw new PdfFormatException($"Expected '{keyword}' at byte {Position}, found '{Truncate(word)}'.");
        }
    }

    public long ReadInteger()
    {
        string? word = ReadKeyword();
        return long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new PdfFormatException($"Expected an integer at byte {Position}, found '{Truncate(word)}'.");
    }

    public PdfObject ReadObject(int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new PdfFormatException($"Objects are nested more than {MaxDepth} deep at byte {Position}.");
        }
        SkipWhitespace();
        ReadOnlySpan<byte> data = Data;
        if (Position >= data.Length)
        {
            throw new PdfFormatException("The file ends in the middle of an object.");
        }
        byte b = data[Position];
        switch (b)
        {
            case (byte)'/':
                return ReadName();
            case (byte)'(':
                return ReadLiteralString();
            case (byte)'[':
                return ReadArray(depth);
            case (byte)'<' when Position + 1 < data.Length && data[Position + 1] == '<':
                return ReadDictionary(depth);
            case (byte)'<':
                return ReadHexString();
        }
        int start = Position;
        string? word = ReadKeyword();
        switch (word)
        {
            case null:
                throw new PdfFormatException($"Unexpected '{(char)b}' at byte {start}.");
            case "true":
                return new PdfBoolean(true);
            case "false":
                return new PdfBoolean(false);
            case "null":
                return PdfNull.Instance;
        }
        if (!double.TryParse(word, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
        {
            throw new PdfFormatException($"Unexpected '{Truncate(word)}' at byte {start}.");
        }
        // "n g R" is a reference: look ahead two tokens, and go back if it is not one.
        if (long.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out long objectNumber) && objectNumber <= int.MaxValue)
        {
            int afterFirst = Position;
            string? second = ReadKeyword();
            if (int.TryParse(second, NumberStyles.None, CultureInfo.InvariantCulture, out int generation) && ReadKeyword() == "R")
            {
                return new PdfReference((int)objectNumber, generation);
            }
            Position = afterFirst;
        }
        return new PdfNumber(number, word);
    }

    private PdfName ReadName()
    {
        ReadOnlySpan<byte> data = Data;
        Position++; // '/'
        var bytes = new List<byte>();
        while (Position < data.Length && !IsWhite(data[Position]) && !IsDelimiter(data[Position]))
        {
            byte c = data[Position++];
            if (c == '#' && Position + 1 < data.Length && IsHex(data[Position]) && IsHex(data[Position + 1]))
            {
                c = (byte)(HexValue(data[Position]) * 16 + HexValue(data[Position + 1]));
                Position += 2;
            }
            bytes.Add(c);
        }
        return new PdfName(Encoding.UTF8.GetString(bytes.ToArray()));
    }

    private PdfString ReadLiteralString()
    {
        ReadOnlySpan<byte> data = Data;
        Position++; // '('
        var bytes = new List<byte>();
        int depth = 1;
        while (true)
        {
            if (Position >= data.Length)
            {
                throw new PdfFormatException("A string is not closed before the end of the file.");
            }
            byte c = data[Position++];
            if (c == '\\')
            {
                if (Position >= data.Length)
                {
                    throw new PdfFormatException("A string is not closed before the end of the file.");
                }
                byte e = data[Position++];
                switch (e)
                {
                    case (byte)'n': bytes.Add(10); break;
                    case (byte)'r': bytes.Add(13); break;
                    case (byte)'t': bytes.Add(9); break;
                    case (byte)'b': bytes.Add(8); break;
                    case (byte)'f': bytes.Add(12); break;
                    case (byte)'\r':
                        if (Position < data.Length && data[Position] == '\n')
                        {
                            Position++;
                        }
                        break;
                    case (byte)'\n': break;
                    case >= (byte)'0' and <= (byte)'7':
                        int value = e - '0';
                        for (int i = 0; i < 2 && Position < data.Length && data[Position] is >= (byte)'0' and <= (byte)'7'; i++)
                        {
                            value = value * 8 + (data[Position++] - '0');
                        }
                        bytes.Add((byte)value);
                        break;
                    default: bytes.Add(e); break;
                }
                continue;
            }
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                return new PdfString(bytes.ToArray());
            }
            bytes.Add(c);
        }
    }

    private PdfString ReadHexString()
    {
        ReadOnlySpan<byte> data = Data;
        Position++; // '<'
        var bytes = new List<byte>();
        int high = -1;
        while (true)
        {
            if (Position >= data.Length)
            {
                throw new PdfFormatException("A hex string is not closed before the end of the file.");
            }
            byte c = data[Position++];
            if (c == '>')
            {
                if (high >= 0)
                {
                    bytes.Add((byte)(high * 16));
                }
                return new PdfString(bytes.ToArray(), hex: true);
            }
            if (IsWhite(c))
            {
                continue;
            }
            if (!IsHex(c))
            {
                throw new PdfFormatException($"'{(char)c}' in a hex string at byte {Position - 1}.");
            }
            if (high < 0)
            {
                high = HexValue(c);
            }
            else
            {
                bytes.Add((byte)(high * 16 + HexValue(c)));
                high = -1;
            }
        }
    }

    private PdfArray ReadArray(int depth)
    {
        Position++; // '['
        var array = new PdfArray();
        while (true)
        {
            SkipWhitespace();
            if (Position >= Data.Length)
            {
                throw new PdfFormatException("An array is not closed before the end of the file.");
            }
            if (Data[Position] == ']')
            {
                Position++;
                return array;
            }
            array.Items.Add(ReadObject(depth + 1));
        }
    }

    private PdfDictionary ReadDictionary(int depth)
    {
        Position += 2; // '<<'
        var dictionary = new PdfDictionary();
        while (true)
        {
            SkipWhitespace();
            if (Position + 1 >= Data.Length)
            {
                throw new PdfFormatException("A dictionary is not closed before the end of the file.");
            }
            if (Data[Position] == '>' && Data[Position + 1] == '>')
            {
                Position += 2;
                return dictionary;
            }
            if (Data[Position] != '/')
            {
                throw new PdfFormatException($"A dictionary key must be a name (byte {Position}).");
            }
            string key = ReadName().Value;
            dictionary[key] = ReadObject(depth + 1);
        }
    }

    /// <summary>Index of <paramref name="needle"/> at or after <paramref name="from"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> needle, int from)
    {
        if (from >= Data.Length)
        {
            return -1;
        }
        int found = Data[from..].IndexOf(needle);
        return found < 0 ? -1 : from + found;
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static string Truncate(string? word) => word is null ? "(nothing)" : word.Length > 20 ? word[..20] + "…" : word;
}
