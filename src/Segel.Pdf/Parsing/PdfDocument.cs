using System.Globalization;
using Segel.Pdf.Model;

namespace Segel.Pdf.Parsing;

/// <summary>Where an object lives: at a byte offset, or as the n-th object of an object stream.</summary>
internal readonly record struct XrefEntry(long Offset, int Generation, int InStream, int Index)
{
    public bool Compressed => InStream > 0;
}

/// <summary>
/// A PDF opened for reading: its cross-reference sections (tables, streams, hybrids, the /Prev chain, newest
/// entry wins), and objects on demand, including those inside object streams. The file stays one byte array;
/// nothing is copied per object.
/// </summary>
public sealed class PdfDocument
{
    private const int MaxSections = 4096;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly Dictionary<int, XrefEntry> _xref = [];
    private readonly Dictionary<int, PdfObject> _cache = [];
    private readonly Dictionary<int, (byte[] Data, int First, int[] Offsets)> _objectStreams = [];

    private PdfDocument(ReadOnlyMemory<byte> data, InflateBudget budget)
    {
        _data = data;
        Budget = budget;
    }

    /// <summary>What is left of the decompression this document may still cost (shared with other opens of the same file when given).</summary>
    public InflateBudget Budget { get; }

    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>The newest trailer (of a cross-reference stream, its dictionary).</summary>
    public PdfDictionary Trailer { get; private set; } = new();

    /// <summary>Offset of the newest cross-reference section: the next update's /Prev.</summary>
    public long StartXref { get; private set; }

    /// <summary>True when the newest section is a cross-reference stream; an update appends the same kind.</summary>
    public bool UsesXrefStreams { get; private set; }

    /// <summary>One more than the highest object number in use (/Size).</summary>
    public int Size { get; private set; }

    public bool IsEncrypted => Trailer["Encrypt"] is not null;

    /// <summary>The standard security handler of an encrypted PDF, opened with the password; null when not encrypted.</summary>
    public Security.StandardSecurity? Security { get; private set; }

    private int _encryptNumber = -1;

    public string Version { get; private set; } = "1.4";

    /// <summary>
    /// Reads a PDF; an encrypted one opens with its user or owner password (none tries the empty user password). Its streams
    /// decompress within <paramref name="budget"/> (by default <see cref="PdfReadLimits.Default"/> for its size), beyond
    /// which reading throws <see cref="PdfLimitException"/>.
    /// </summary>
    public static PdfDocument Open(ReadOnlyMemory<byte> data, string? password = null, InflateBudget? budget = null)
    {
        var document = new PdfDocument(data, budget ?? InflateBudget.For(data.Length));
        document.Load();
        if (document.Trailer["Encrypt"] is { } encrypt)
        {
            document._encryptNumber = (encrypt as PdfReference)?.Number ?? -1;
            if (document.Resolve(encrypt) is not PdfDictionary dictionary)
            {
                throw new PdfFormatException("The PDF's encryption dictionary is missing.");
            }
            byte[] id = (document.Trailer["ID"] as PdfArray) is { Count: > 0 } ids && ids[0] is PdfString first ? first.Bytes : [];
            document.Security = Segel.Pdf.Security.StandardSecurity.Open(dictionary, id, password);
        }
        return document;
    }

    /// <summary>A stream's data, decrypted and decoded.</summary>
    public byte[] Decode(PdfStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ReadOnlySpan<byte> raw = RawData(stream);
        if (Security is { } security && stream.Dictionary.NameOf("Type") is not "XRef" && !(stream.Dictionary.NameOf("Type") == "Metadata" && !security.EncryptMetadata))
        {
            return StreamDecoder.Decode(stream.Dictionary, security.DecryptStream(raw.ToArray(), stream.Number, stream.Generation), Resolve, Budget);
        }
        return StreamDecoder.Decode(stream.Dictionary, raw, Resolve, Budget);
    }

    private void Load()
    {
        ReadOnlySpan<byte> bytes = _data.Span;
        int header = bytes[..Math.Min(bytes.Length, 1024)].IndexOf("%PDF-"u8);
        if (header < 0)
        {
            throw new PdfFormatException("This is not a PDF: there is no %PDF- header.");
        }
        int versionEnd = header + 5;
        while (versionEnd < bytes.Length && versionEnd < header + 9 && (char.IsAsciiDigit((char)bytes[versionEnd]) || bytes[versionEnd] == '.'))
        {
            versionEnd++;
        }
        Version = System.Text.Encoding.ASCII.GetString(bytes[(header + 5)..versionEnd]);

        int tail = Math.Max(0, bytes.Length - 2048);
        int startxref = bytes[tail..].LastIndexOf("startxref"u8);
        if (startxref < 0)
        {
            throw new PdfFormatException("The PDF is truncated or damaged: there is no startxref at its end.");
        }
        var lexer = new PdfLexer(_data, tail + startxref + "startxref".Length);
        StartXref = lexer.ReadInteger();

        var visited = new HashSet<long>();
        long? offset = StartXref;
        bool newest = true;
        while (offset is long at)
        {
            if (at < 0 || at >= bytes.Length || !visited.Add(at) || visited.Count > MaxSections)
            {
                throw new PdfFormatException($"The cross-reference chain is broken (offset {at} is outside the file or repeats).");
            }
            (PdfDictionary trailer, bool stream) = ReadSection(at);
            if (newest)
            {
                Trailer = trailer;
                UsesXrefStreams = stream;
                newest = false;
            }
            if (!stream && trailer["XRefStm"] is PdfNumber hybrid && visited.Add(hybrid.AsLong()))
            {
                ReadSection(hybrid.AsLong());
            }
            offset = trailer["Prev"] is PdfNumber prev ? prev.AsLong() : null;
        }
        Size = Trailer["Size"] is PdfNumber size ? (int)Math.Min(size.Value, 8_388_607) : _xref.Keys.DefaultIfEmpty(0).Max() + 1;
        Size = Math.Max(Size, _xref.Keys.DefaultIfEmpty(0).Max() + 1);
        if (Trailer["Root"] is not PdfReference)
        {
            throw new PdfFormatException("The trailer names no document catalog (/Root).");
        }
    }

    private (PdfDictionary Trailer, bool Stream) ReadSection(long offset)
    {
        var lexer = new PdfLexer(_data, (int)offset);
        if (lexer.PeekKeyword() == "xref")
        {
            lexer.ReadKeyword();
            ReadTable(lexer);
            lexer.Expect("trailer");
            return (lexer.ReadObject() as PdfDictionary ?? throw new PdfFormatException("The trailer is not a dictionary."), false);
        }
        PdfObject section = ReadIndirectAt(offset, expectedNumber: null);
        if (section is not PdfStream { Dictionary: var dictionary } stream || dictionary.NameOf("Type") != "XRef")
        {
            throw new PdfFormatException($"No cross-reference table or stream at byte {offset}.");
        }
        ReadXrefStream(stream);
        return (dictionary, true);
    }

    private void ReadTable(PdfLexer lexer)
    {
        while (true)
        {
            string? word = lexer.PeekKeyword();
            if (word is null || word == "trailer")
            {
                return;
            }
            long first = lexer.ReadInteger();
            long count = lexer.ReadInteger();
            if (first < 0 || count < 0 || count > 8_388_607 || first + count > 8_388_607)
            {
                throw new PdfFormatException("A cross-reference subsection is out of range.");
            }
            for (long i = 0; i < count; i++)
            {
                long entryOffset = lexer.ReadInteger();
                long generation = lexer.ReadInteger();
                string? kind = lexer.ReadKeyword();
                int number = (int)(first + i);
                if (kind == "n" && !_xref.ContainsKey(number) && number > 0)
                {
                    _xref[number] = new XrefEntry(entryOffset, (int)generation, 0, 0);
                }
                else if (kind == "f" && !_xref.ContainsKey(number))
                {
                    _xref[number] = new XrefEntry(-1, (int)generation, 0, 0);
                }
                else if (kind is not ("n" or "f"))
                {
                    throw new PdfFormatException($"A cross-reference entry for object {number} is malformed.");
                }
            }
        }
    }

    private void ReadXrefStream(PdfStream stream)
    {
        PdfDictionary d = stream.Dictionary;
        int[] widths = (d["W"] as PdfArray)?.Items.Select(i => (int)((i as PdfNumber)?.Value ?? -1)).ToArray() ?? [];
        if (widths.Length != 3 || widths.Any(w => w is < 0 or > 8))
        {
            throw new PdfFormatException("A cross-reference stream has an invalid /W.");
        }
        int size = (int)((d["Size"] as PdfNumber)?.Value ?? 0);
        List<long> index = (d["Index"] as PdfArray)?.Items.Select(i => (long)((i as PdfNumber)?.Value ?? -1)).ToList() ?? [0, size];
        byte[] data = StreamDecoder.Decode(d, RawData(stream), Resolve, Budget);
        int entryLength = widths.Sum();
        if (entryLength == 0)
        {
            return;
        }
        int position = 0;
        for (int s = 0; s + 1 < index.Count; s += 2)
        {
            long first = index[s], count = index[s + 1];
            if (first < 0 || count < 0 || first + count > 8_388_607)
            {
                throw new PdfFormatException("A cross-reference stream's /Index is out of range.");
            }
            for (long i = 0; i < count && position + entryLength <= data.Length; i++, position += entryLength)
            {
                long type = widths[0] == 0 ? 1 : Field(data, position, widths[0]);
                long second = Field(data, position + widths[0], widths[1]);
                long third = Field(data, position + widths[0] + widths[1], widths[2]);
                int number = (int)(first + i);
                if (_xref.ContainsKey(number) || number == 0)
                {
                    continue;
                }
                _xref[number] = type switch
                {
                    1 => new XrefEntry(second, (int)third, 0, 0),
                    2 => new XrefEntry(-1, 0, (int)second, (int)third),
                    _ => new XrefEntry(-1, 0, 0, 0),
                };
            }
        }
    }

    private static long Field(byte[] data, int offset, int width)
    {
        long value = 0;
        for (int i = 0; i < width; i++)
        {
            value = (value << 8) | data[offset + i];
        }
        return value;
    }

    /// <summary>The object with this number, or null when it is absent or free.</summary>
    public PdfObject? GetObject(int number)
    {
        if (_cache.TryGetValue(number, out PdfObject? cached))
        {
            return cached;
        }
        if (!_xref.TryGetValue(number, out XrefEntry entry) || (entry.Offset < 0 && !entry.Compressed))
        {
            return null;
        }
        PdfObject value = entry.Compressed ? ReadFromObjectStream(number, entry) : ReadIndirectAt(entry.Offset, number);
        // Objects inside object streams were decrypted with their stream; cross-reference streams and the
        // encryption dictionary itself are never encrypted.
        if (Security is { } security && !entry.Compressed && number != _encryptNumber && !(value is PdfStream { Dictionary: var d } && d.NameOf("Type") == "XRef"))
        {
            value = security.Transform(value, number, entry.Generation, encrypt: false);
        }
        _cache[number] = value;
        return value;
    }

    /// <summary>The numbers the cross-reference sections list, in use or free.</summary>
    internal IEnumerable<int> ObjectNumbers => _xref.Keys;

    /// <summary>True when both documents locate object <paramref name="number"/> at the same place: the same version of it.</summary>
    internal bool SameEntry(PdfDocument other, int number) =>
        _xref.TryGetValue(number, out XrefEntry mine) && other._xref.TryGetValue(number, out XrefEntry theirs) && mine == theirs;

    public int GenerationOf(int number) => _xref.TryGetValue(number, out XrefEntry entry) && !entry.Compressed ? entry.Generation : 0;

    /// <summary>Follows references (a chain of them, bounded) to the object they name; null for a dangling one.</summary>
    public PdfObject? Resolve(PdfObject? value)
    {
        for (int hops = 0; value is PdfReference reference; hops++)
        {
            if (hops > 32)
            {
                throw new PdfFormatException("References point at each other in a loop.");
            }
            value = GetObject(reference.Number);
        }
        return value;
    }

    public PdfDictionary Catalog => Resolve(Trailer["Root"]) as PdfDictionary ?? throw new PdfFormatException("The document catalog is missing or not a dictionary.");

    /// <summary>The raw (encoded) bytes of a stream.</summary>
    public ReadOnlySpan<byte> RawData(PdfStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return _data.Span.Slice((int)stream.DataOffset, (int)stream.DataLength);
    }

    /// <summary>
    /// Pages in order (the page tree walked with loops and depth bounded), read only as far as the caller goes: signing on page 1 of a 700-page letter must not
    /// parse 700 page objects.
    /// </summary>
    public IEnumerable<(PdfReference Reference, PdfDictionary Page)> EnumeratePages()
    {
        var seen = new HashSet<int>();
        var pending = new Stack<(PdfObject? Node, int Depth)>();
        pending.Push((Catalog["Pages"], 0));
        while (pending.Count > 0)
        {
            (PdfObject? node, int depth) = pending.Pop();
            if (depth > 64 || node is not PdfReference reference || !seen.Add(reference.Number) || GetObject(reference.Number) is not PdfDictionary dictionary)
            {
                continue;
            }
            if (dictionary.NameOf("Type") == "Pages" || dictionary["Kids"] is not null)
            {
                if (Resolve(dictionary["Kids"]) is PdfArray kids)
                {
                    for (int i = kids.Count - 1; i >= 0; i--)
                    {
                        pending.Push((kids[i], depth + 1));
                    }
                }
            }
            else
            {
                yield return (reference, dictionary);
            }
        }
    }

    private PdfObject ReadIndirectAt(long offset, int? expectedNumber)
    {
        if (offset < 0 || offset >= _data.Length)
        {
            throw new PdfFormatException($"Object {expectedNumber} points outside the file.");
        }
        var lexer = new PdfLexer(_data, (int)offset);
        long number = lexer.ReadInteger();
        long generation = lexer.ReadInteger();
        lexer.Expect("obj");
        if (expectedNumber is int expected && number != expected)
        {
            throw new PdfFormatException($"The cross-reference says object {expected} is at byte {offset}, but object {number} is there.");
        }
        PdfObject value = lexer.ReadObject();
        if (value is PdfDictionary dictionary && lexer.PeekKeyword() == "stream")
        {
            lexer.ReadKeyword();
            PdfStream stream = ReadStreamData(lexer, dictionary);
            return new PdfStream(stream.Dictionary, stream.DataOffset, stream.DataLength) { Number = (int)number, Generation = (int)generation };
        }
        return value;
    }

    private PdfStream ReadStreamData(PdfLexer lexer, PdfDictionary dictionary)
    {
        ReadOnlySpan<byte> data = _data.Span;
        int start = lexer.Position;
        if (start < data.Length && data[start] == '\r')
        {
            start++;
        }
        if (start < data.Length && data[start] == '\n')
        {
            start++;
        }
        long length = -1;
        // /Length may be a reference; resolving it must not recurse into this very object.
        PdfObject? declared = dictionary["Length"] is PdfReference r && !_cache.ContainsKey(r.Number) && _xref.TryGetValue(r.Number, out XrefEntry e) && !e.Compressed
            ? ReadIndirectAt(e.Offset, r.Number)
            : dictionary["Length"];
        if (declared is PdfNumber n && n.Value >= 0 && start + n.Value <= data.Length)
        {
            length = n.AsLong();
            var check = new PdfLexer(_data, (int)(start + length));
            if (check.PeekKeyword() != "endstream")
            {
                length = -1;
            }
        }
        if (length < 0)
        {
            int end = lexer.IndexOf("endstream"u8, start);
            if (end < 0)
            {
                throw new PdfFormatException($"A stream starting at byte {start} has no endstream.");
            }
            length = end - start;
            while (length > 0 && data[(int)(start + length - 1)] is (byte)'\r' or (byte)'\n')
            {
                length--;
            }
        }
        return new PdfStream(dictionary, start, length);
    }

    private PdfObject ReadFromObjectStream(int number, XrefEntry entry)
    {
        if (!_objectStreams.TryGetValue(entry.InStream, out var objectStream))
        {
            if (!_xref.TryGetValue(entry.InStream, out XrefEntry container) || container.Compressed || container.Offset < 0)
            {
                throw new PdfFormatException($"Object {number} is said to be in object stream {entry.InStream}, which is missing.");
            }
            if (ReadIndirectAt(container.Offset, entry.InStream) is not PdfStream stream)
            {
                throw new PdfFormatException($"Object {entry.InStream} is not an object stream.");
            }
            byte[] decoded = Decode(stream);
            int count = (int)Math.Min((stream.Dictionary["N"] as PdfNumber)?.Value ?? 0, 1_000_000);
            int first = (int)((stream.Dictionary["First"] as PdfNumber)?.Value ?? 0);
            var header = new PdfLexer(decoded);
            int[] offsets = new int[count];
            for (int i = 0; i < count; i++)
            {
                header.ReadInteger();
                offsets[i] = (int)header.ReadInteger();
            }
            objectStream = (decoded, first, offsets);
            _objectStreams[entry.InStream] = objectStream;
        }
        if (entry.Index < 0 || entry.Index >= objectStream.Offsets.Length)
        {
            throw new PdfFormatException($"Object {number} is not in object stream {entry.InStream}.");
        }
        var lexer = new PdfLexer(objectStream.Data, objectStream.First + objectStream.Offsets[entry.Index]);
        return lexer.ReadObject();
    }

    /// <summary>Writes a PDF date (§7.9.4) for a moment, in UTC.</summary>
    public static string Date(DateTimeOffset when) =>
        "D:" + when.ToUniversalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
}
