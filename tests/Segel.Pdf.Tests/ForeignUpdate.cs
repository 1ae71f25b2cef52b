using System.Globalization;
using System.IO.Compression;
using System.Text;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;

namespace Segel.Pdf.Tests;

/// <summary>
/// An incremental update written the way other PDF software writes one (Adobe Reader and Acrobat among them), not the way
/// Segel does: changed and new dictionaries packed into one compressed object stream, streams and the signature
/// dictionary as objects of their own, a cross-reference stream on top of whatever the file had before, and,
/// when asked, a signature over the result (its /ByteRange and /Contents filled in after the bytes are laid out).
/// </summary>
internal sealed class ForeignUpdate(PdfDocument document)
{
    private const int ContentsCapacity = 16 * 1024;
    private readonly SortedDictionary<int, PdfObject> _packed = [];
    private readonly SortedDictionary<int, (int Generation, PdfObject Value)> _plain = [];
    private readonly SortedSet<int> _freed = [];
    private int _next = document.Size;
    private int? _signature;
    private string _signatureExtra = "";
    private string _subFilter = "ETSI.CAdES.detached";
    private string _type = "Sig";

    public PdfDocument Document => document;

    public PdfReference Add(PdfObject value)
    {
        var reference = new PdfReference(_next++, 0);
        Replace(reference, value);
        return reference;
    }

    /// <summary>A new version of an object: packed into the object stream unless it is a stream itself.</summary>
    public void Replace(PdfReference reference, PdfObject value)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (value is PdfNewStream or PdfStream || reference.Generation != 0)
        {
            _plain[reference.Number] = (reference.Generation, value);
        }
        else
        {
            _packed[reference.Number] = value;
        }
    }

    /// <summary>Frees an object, as software does with what it replaced under a new number.</summary>
    public void Free(PdfReference reference) => _freed.Add(reference.Number);

    /// <summary>
    /// A form field's widget on page 1, created on the fly: listed in the page's /Annots and the form's /Fields, the form
    /// rewritten where it lives (its own object, or inside <paramref name="catalog"/>, the caller's new catalog).
    /// </summary>
    public PdfReference AddWidget(PdfDictionary widget, PdfDictionary catalog, Action<PdfDictionary>? changeForm = null)
    {
        ArgumentNullException.ThrowIfNull(widget);
        ArgumentNullException.ThrowIfNull(catalog);
        (PdfReference pageRef, PdfDictionary page) = document.EnumeratePages().First();
        widget["P"] = pageRef;
        PdfReference reference = Add(widget);
        PdfDictionary newPage = page.Copy();
        newPage["Annots"] = new PdfArray([.. (document.Resolve(page["Annots"]) as PdfArray)?.Items ?? [], reference]);
        Replace(pageRef, newPage);
        PdfDictionary form = ((PdfDictionary)document.Resolve(catalog["AcroForm"])!).Copy();
        form["Fields"] = new PdfArray([.. ((PdfArray)document.Resolve(form["Fields"])!).Items, reference]);
        changeForm?.Invoke(form);
        if (catalog["AcroForm"] is PdfReference formRef)
        {
            Replace(formRef, form);
        }
        else
        {
            catalog["AcroForm"] = form;
        }
        return reference;
    }

    /// <summary>The object as it stands in the document (an unchanged copy that gets rewritten, as Acrobat rewrites objects it touched).</summary>
    public void Rewrite(PdfReference reference) => Replace(reference, document.GetObject(reference.Number)!);

    /// <summary>A signature dictionary to be filled in on writing; <paramref name="extra"/> is more of its entries, in PDF syntax.</summary>
    public PdfReference AddSignature(string extra = "", string subFilter = "ETSI.CAdES.detached")
    {
        _type = subFilter == "ETSI.RFC3161" ? "DocTimeStamp" : "Sig";
        _signature = _next++;
        _signatureExtra = extra;
        _subFilter = subFilter;
        return new PdfReference(_signature.Value, 0);
    }

    public Task<byte[]> WriteAsync(byte[] original, SigningIdentity? signer = null) =>
        WriteAsync(original, signer is null ? null : async content => await CadesSigner.SignAsync(signer, sink => sink.Write(content)));

    /// <summary>The update, its signature (if it has one) the CMS <paramref name="sign"/> makes over the signed byte ranges.</summary>
    public async Task<byte[]> WriteAsync(byte[] original, Func<byte[], Task<byte[]>>? sign)
    {
        using var output = new MemoryStream();
        output.Write(original);
        var entries = new SortedDictionary<int, (int Type, long Field2, int Field3)>();
        foreach (int number in _freed)
        {
            entries[number] = (0, 0, 1);
        }
        void Text(string text) => output.Write(Encoding.Latin1.GetBytes(text));
        foreach ((int number, (int generation, PdfObject value)) in _plain)
        {
            entries[number] = (1, output.Position, generation);
            Text(string.Create(CultureInfo.InvariantCulture, $"{number} {generation} obj\n"));
            value.WriteTo(output);
            Text("\nendobj\n");
        }
        if (_signature is int signatureNumber)
        {
            entries[signatureNumber] = (1, output.Position, 0);
            string when = PdfDocument.Date(DateTimeOffset.UtcNow);
            Text(string.Create(CultureInfo.InvariantCulture, $"{signatureNumber} 0 obj\n<< /Type /{_type} /Filter /Adobe.PPKLite /SubFilter /{_subFilter} /M ({when}) {_signatureExtra}") +
                $" /ByteRange [0 0000000000 0000000000 0000000000] /Contents <{new string('0', ContentsCapacity * 2)}> >>\nendobj\n");
        }
        if (_packed.Count > 0)
        {
            int stream = _next++;
            using var bodies = new MemoryStream();
            var header = new StringBuilder();
            int index = 0;
            foreach ((int number, PdfObject value) in _packed)
            {
                header.Append(CultureInfo.InvariantCulture, $"{number} {bodies.Length} ");
                value.WriteTo(bodies);
                bodies.WriteByte((byte)'\n');
                entries[number] = (2, stream, index++);
            }
            byte[] plain = [.. Encoding.Latin1.GetBytes(header.ToString()), .. bodies.ToArray()];
            byte[] packed = Deflate(plain);
            entries[stream] = (1, output.Position, 0);
            Text(string.Create(CultureInfo.InvariantCulture,
                $"{stream} 0 obj\n<< /Type /ObjStm /N {_packed.Count} /First {header.Length} /Filter /FlateDecode /Length {packed.Length} >>\nstream\n"));
            output.Write(packed);
            Text("\nendstream\nendobj\n");
        }
        int xref = _next++;
        long xrefOffset = output.Position;
        entries[xref] = (1, xrefOffset, 0);
        var rows = new MemoryStream();
        var index2 = new StringBuilder();
        foreach (IGrouping<int, int> run in entries.Keys.Select((number, i) => (number, i)).GroupBy(p => p.number - p.i, p => p.number))
        {
            index2.Append(CultureInfo.InvariantCulture, $"{run.First()} {run.Count()} ");
            foreach (int number in run)
            {
                (int type, long field2, int field3) = entries[number];
                rows.WriteByte((byte)type);
                for (int shift = 24; shift >= 0; shift -= 8)
                {
                    rows.WriteByte((byte)(field2 >> shift));
                }
                rows.WriteByte((byte)(field3 >> 8));
                rows.WriteByte((byte)field3);
            }
        }
        byte[] table = Deflate(rows.ToArray());
        string info = document.Trailer["Info"] is PdfReference i ? $" /Info {i.Number} {i.Generation} R" : "";
        var root = (PdfReference)document.Trailer["Root"]!;
        string id = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        Text(string.Create(CultureInfo.InvariantCulture,
            $"{xref} 0 obj\n<< /Type /XRef /Size {_next} /Index [{index2.ToString().Trim()}] /W [1 4 2] /Root {root.Number} {root.Generation} R{info} /ID [<{id}> <{id}>] /Prev {document.StartXref} /Filter /FlateDecode /Length {table.Length} >>\nstream\n"));
        output.Write(table);
        Text(string.Create(CultureInfo.InvariantCulture, $"\nendstream\nendobj\nstartxref\n{xrefOffset}\n%%EOF\n"));
        byte[] file = output.ToArray();
        return sign is null || _signature is null ? file : await SignAsync(file, original.Length, sign);
    }

    private static async Task<byte[]> SignAsync(byte[] file, int from, Func<byte[], Task<byte[]>> sign)
    {
        string text = Encoding.Latin1.GetString(file, from, file.Length - from);
        int range = from + text.IndexOf("/ByteRange [", StringComparison.Ordinal) + "/ByteRange [".Length;
        int contents = from + text.IndexOf("/Contents <", StringComparison.Ordinal) + "/Contents ".Length;
        int end = contents + (ContentsCapacity * 2) + 2;
        string numbers = string.Create(CultureInfo.InvariantCulture, $"0 {contents:D10} {end:D10} {file.Length - end:D10}");
        Encoding.Latin1.GetBytes(numbers).CopyTo(file, range);
        byte[] cms = await sign([.. file.AsSpan(0, contents), .. file.AsSpan(end)]);
        Encoding.Latin1.GetBytes(Convert.ToHexString(cms)).CopyTo(file, contents + 1);
        return file;
    }

    private static byte[] Deflate(byte[] data)
    {
        using var packed = new MemoryStream();
        using (var zlib = new ZLibStream(packed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return packed.ToArray();
    }
}
