using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;

namespace Segel.Pdf.Signing;

/// <summary>
/// An incremental update (ISO 32000-2 §7.5.6): new and changed objects appended after the original bytes, with
/// a cross-reference section of the same kind as the file's newest one (a table after a table, a stream after
/// a stream) whose /Prev points at it. The original bytes are never touched, so earlier signatures stay valid.
/// </summary>
public sealed class IncrementalUpdate
{
    private readonly PdfDocument _document;
    private readonly SortedDictionary<int, (int Generation, PdfObject Value)> _objects = [];
    private int _next;

    public IncrementalUpdate(PdfDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        _document = document;
        _next = document.Size;
    }

    public PdfReference Add(PdfObject value)
    {
        int number = _next++;
        _objects[number] = (0, value);
        return new PdfReference(number, 0);
    }

    /// <summary>A new version of an existing object, under its number and generation.</summary>
    public void Replace(PdfReference reference, PdfObject value)
    {
        ArgumentNullException.ThrowIfNull(reference);
        _objects[reference.Number] = (reference.Generation, value);
    }

    /// <summary>
    /// Writes the update. <paramref name="output"/> is positioned at the end of the original bytes, which
    /// <paramref name="baseOffset"/> gives; offsets written into the section are absolute.
    /// </summary>
    public void WriteTo(Stream output, long baseOffset)
    {
        ArgumentNullException.ThrowIfNull(output);
        long start = output.Position;
        long Absolute() => baseOffset + (output.Position - start);
        var offsets = new SortedDictionary<int, (long Offset, int Generation)>();
        foreach ((int number, (int generation, PdfObject value)) in _objects)
        {
            offsets[number] = (Absolute(), generation);
            Ascii(output, string.Create(CultureInfo.InvariantCulture, $"{number} {generation} obj\n"));
            // In an encrypted PDF new objects are encrypted with the document's key, like every other object.
            (_document.Security?.Transform(value, number, generation, encrypt: true) ?? value).WriteTo(output);
            Ascii(output, "\nendobj\n");
        }

        var trailer = new PdfDictionary();
        trailer["Root"] = _document.Trailer["Root"]!;
        if (_document.Trailer["Info"] is { } info)
        {
            trailer["Info"] = info;
        }
        if (_document.Trailer["Encrypt"] is { } encrypt)
        {
            trailer["Encrypt"] = encrypt;
        }
        byte[] fresh = RandomNumberGenerator.GetBytes(16);
        PdfObject first = (_document.Trailer["ID"] as PdfArray) is { Count: 2 } ids ? ids[0] : new PdfString(fresh, hex: true);
        trailer["ID"] = new PdfArray([first, new PdfString(fresh, hex: true)]);
        trailer["Prev"] = new PdfNumber(_document.StartXref);

        long xrefOffset = Absolute();
        if (_document.UsesXrefStreams)
        {
            int self = _next++;
            offsets[self] = (xrefOffset, 0);
            WriteXrefStream(output, trailer, offsets, self);
        }
        else
        {
            WriteXrefTable(output, trailer, offsets);
        }
        Ascii(output, string.Create(CultureInfo.InvariantCulture, $"startxref\n{xrefOffset}\n%%EOF\n"));
    }

    private int Size => Math.Max(_next, _document.Size);

    private void WriteXrefTable(Stream output, PdfDictionary trailer, SortedDictionary<int, (long Offset, int Generation)> offsets)
    {
        var text = new StringBuilder("xref\n");
        foreach (List<int> run in Runs(offsets.Keys))
        {
            text.Append(CultureInfo.InvariantCulture, $"{run[0]} {run.Count}\n");
            foreach (int number in run)
            {
                text.Append(CultureInfo.InvariantCulture, $"{offsets[number].Offset:D10} {offsets[number].Generation:D5} n\r\n");
            }
        }
        text.Append("trailer\n");
        Ascii(output, text.ToString());
        trailer["Size"] = new PdfNumber(Size);
        trailer.WriteTo(output);
        Ascii(output, "\n");
    }

    private void WriteXrefStream(Stream output, PdfDictionary trailer, SortedDictionary<int, (long Offset, int Generation)> offsets, int self)
    {
        int offsetWidth = offsets.Values.Max(o => o.Offset) > uint.MaxValue ? 8 : 4;
        var index = new PdfArray();
        using var data = new MemoryStream();
        foreach (List<int> run in Runs(offsets.Keys))
        {
            index.Items.Add(new PdfNumber(run[0]));
            index.Items.Add(new PdfNumber(run.Count));
            foreach (int number in run)
            {
                data.WriteByte(1);
                for (int i = offsetWidth - 1; i >= 0; i--)
                {
                    data.WriteByte((byte)(offsets[number].Offset >> (8 * i)));
                }
                data.WriteByte((byte)(offsets[number].Generation >> 8));
                data.WriteByte((byte)offsets[number].Generation);
            }
        }
        var dictionary = new PdfDictionary();
        dictionary["Type"] = new PdfName("XRef");
        dictionary["Size"] = new PdfNumber(Size);
        dictionary["Index"] = index;
        dictionary["W"] = new PdfArray([new PdfNumber(1), new PdfNumber(offsetWidth), new PdfNumber(2)]);
        foreach ((string key, PdfObject value) in trailer.Entries)
        {
            dictionary[key] = value;
        }
        dictionary["Length"] = new PdfNumber(data.Length);
        Ascii(output, string.Create(CultureInfo.InvariantCulture, $"{self} 0 obj\n"));
        dictionary.WriteTo(output);
        Ascii(output, "\nstream\n");
        data.Position = 0;
        data.CopyTo(output);
        Ascii(output, "\nendstream\nendobj\n");
    }

    private static IEnumerable<List<int>> Runs(IEnumerable<int> numbers)
    {
        List<int>? run = null;
        foreach (int number in numbers)
        {
            if (run is not null && number == run[^1] + 1)
            {
                run.Add(number);
                continue;
            }
            if (run is not null)
            {
                yield return run;
            }
            run = [number];
        }
        if (run is not null)
        {
            yield return run;
        }
    }

    private static void Ascii(Stream output, string text) => output.Write(Encoding.ASCII.GetBytes(text));
}
