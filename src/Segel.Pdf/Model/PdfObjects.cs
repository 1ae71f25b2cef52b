using System.Globalization;
using System.Text;

namespace Segel.Pdf.Model;

/// <summary>A PDF object (ISO 32000-2 §7.3). Parsed objects are immutable; the writer builds new ones.</summary>
public abstract class PdfObject
{
    /// <summary>Writes the object in PDF syntax.</summary>
    public abstract void WriteTo(Stream output);

    protected static void Write(Stream output, string ascii)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Encoding.ASCII.GetBytes(ascii));
    }

    public override string ToString()
    {
        using var buffer = new MemoryStream();
        WriteTo(buffer);
        return Encoding.Latin1.GetString(buffer.ToArray());
    }
}

public sealed class PdfNull : PdfObject
{
    public static PdfNull Instance { get; } = new();

    public override void WriteTo(Stream output) => Write(output, "null");
}

public sealed class PdfBoolean(bool value) : PdfObject
{
    public bool Value { get; } = value;

    public override void WriteTo(Stream output) => Write(output, Value ? "true" : "false");
}

/// <summary>An integer or real number; <see cref="Text"/> keeps the original spelling.</summary>
public sealed class PdfNumber : PdfObject
{
    public PdfNumber(double value, string? text = null)
    {
        Value = value;
        Text = text ?? (value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("0.######", CultureInfo.InvariantCulture));
    }

    public double Value { get; }

    public string Text { get; }

    public bool IsInteger => Value == Math.Floor(Value) && !Text.Contains('.', StringComparison.Ordinal);

    public long AsLong() => (long)Value;

    public override void WriteTo(Stream output) => Write(output, Text);
}

public sealed class PdfName(string value) : PdfObject
{
    public string Value { get; } = value;

    public override void WriteTo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var text = new StringBuilder("/");
        foreach (byte b in Encoding.UTF8.GetBytes(Value))
        {
            // Delimiters, whitespace, '#' and anything outside printable ASCII are written as #xx (§7.3.5).
            if (b < 0x21 || b > 0x7E || "#()<>[]{}/%".Contains((char)b, StringComparison.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"#{b:X2}");
            }
            else
            {
                text.Append((char)b);
            }
        }
        Write(output, text.ToString());
    }

    public override bool Equals(object? obj) => obj is PdfName other && other.Value == Value;

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);
}

/// <summary>A string's bytes; written as a hex string when parsed as one or asked to.</summary>
public sealed class PdfString(byte[] bytes, bool hex = false) : PdfObject
{
    public byte[] Bytes { get; } = bytes;

    public bool Hex { get; } = hex;

    /// <summary>A text string (§7.9.2.2): ASCII stays PDFDocEncoding-compatible, anything else is UTF-16BE with a BOM.</summary>
    public static PdfString Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.All(c => c >= 0x20 && c < 0x7F)
            ? new PdfString(Encoding.ASCII.GetBytes(value))
            : new PdfString([0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(value)], hex: true);
    }

    public string AsText() =>
        Bytes.Length >= 2 && Bytes[0] == 0xFE && Bytes[1] == 0xFF ? Encoding.BigEndianUnicode.GetString(Bytes, 2, Bytes.Length - 2) : Encoding.Latin1.GetString(Bytes);

    public override void WriteTo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Hex)
        {
            Write(output, "<" + Convert.ToHexString(Bytes) + ">");
            return;
        }
        output.WriteByte((byte)'(');
        foreach (byte b in Bytes)
        {
            if (b is (byte)'(' or (byte)')' or (byte)'\\')
            {
                output.WriteByte((byte)'\\');
            }
            if (b is (byte)'\r' or (byte)'\n')
            {
                Write(output, b == '\r' ? "\\r" : "\\n");
                continue;
            }
            output.WriteByte(b);
        }
        output.WriteByte((byte)')');
    }
}

public sealed class PdfArray : PdfObject
{
    public PdfArray(IEnumerable<PdfObject>? items = null) => Items = items?.ToList() ?? [];

    public List<PdfObject> Items { get; }

    public int Count => Items.Count;

    public PdfObject this[int index] => Items[index];

    public override void WriteTo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteByte((byte)'[');
        for (int i = 0; i < Items.Count; i++)
        {
            if (i > 0)
            {
                output.WriteByte((byte)' ');
            }
            Items[i].WriteTo(output);
        }
        output.WriteByte((byte)']');
    }
}

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The PDF specification's name for the type.")]
public sealed class PdfDictionary : PdfObject
{
    private readonly List<KeyValuePair<string, PdfObject>> _entries = [];

    public PdfDictionary()
    {
    }

    public PdfDictionary(IEnumerable<KeyValuePair<string, PdfObject>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach ((string key, PdfObject value) in entries)
        {
            this[key] = value;
        }
    }

    public IEnumerable<KeyValuePair<string, PdfObject>> Entries => _entries;

    public int Count => _entries.Count;

    /// <summary>The value under <paramref name="key"/> (without the slash), or null when absent. Setting keeps the order keys were first added in.</summary>
    public PdfObject? this[string key]
    {
        get
        {
            foreach (KeyValuePair<string, PdfObject> entry in _entries)
            {
                if (entry.Key == key)
                {
                    return entry.Value;
                }
            }
            return null;
        }
        set
        {
            int index = _entries.FindIndex(e => e.Key == key);
            if (value is null)
            {
                if (index >= 0)
                {
                    _entries.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                _entries[index] = new(key, value);
            }
            else
            {
                _entries.Add(new(key, value));
            }
        }
    }

    public string? NameOf(string key) => (this[key] as PdfName)?.Value;

    /// <summary>A shallow copy, for writing a changed version of an object in an incremental update.</summary>
    public PdfDictionary Copy() => new(_entries);

    public override void WriteTo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Write(output, "<<");
        foreach ((string key, PdfObject value) in _entries)
        {
            new PdfName(key).WriteTo(output);
            output.WriteByte((byte)' ');
            value.WriteTo(output);
        }
        Write(output, ">>");
    }
}

public sealed class PdfReference(int number, int generation) : PdfObject
{
    public int Number { get; } = number;

    public int Generation { get; } = generation;

    public override void WriteTo(Stream output) => Write(output, string.Create(CultureInfo.InvariantCulture, $"{Number} {Generation} R"));

    public override bool Equals(object? obj) => obj is PdfReference other && other.Number == Number && other.Generation == Generation;

    public override int GetHashCode() => HashCode.Combine(Number, Generation);
}

/// <summary>A stream: its dictionary and where its raw (still encoded) bytes lie in the file.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The PDF specification's name for the type.")]
public sealed class PdfStream(PdfDictionary dictionary, long dataOffset, long dataLength) : PdfObject
{
    public PdfDictionary Dictionary { get; } = dictionary;

    public long DataOffset { get; } = dataOffset;

    public long DataLength { get; } = dataLength;

    /// <summary>The number and generation of the object that is this stream (its encryption key depends on them).</summary>
    public int Number { get; init; }

    public int Generation { get; init; }

    public override void WriteTo(Stream output) =>
        throw new InvalidOperationException("Parsed streams are never rewritten; an incremental update adds new objects only.");
}

/// <summary>A stream Segel writes (an appearance, an image): its dictionary, with /Length set on writing, and its bytes.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The PDF specification's name for the type.")]
public sealed class PdfNewStream(PdfDictionary dictionary, byte[] data) : PdfObject
{
    public PdfDictionary Dictionary { get; } = dictionary;

    public byte[] Data { get; } = data;

    public override void WriteTo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Dictionary["Length"] = new PdfNumber(Data.Length);
        Dictionary.WriteTo(output);
        Write(output, "\nstream\n");
        output.Write(Data);
        Write(output, "\nendstream");
    }
}
