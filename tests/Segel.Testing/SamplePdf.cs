using System.IO.Compression;
using System.Text;
using Segel.Pdf.Writing;

namespace Segel.Testing;

/// <summary>Small PDFs with a classic cross-reference table (<see cref="PlainPdf"/>); qpdf turns them into the other structures.</summary>
public static class SamplePdf
{
    public static byte[] Letter(string text = "Surat Dinas Nomor 800/123/DISKOMINFO", int pages = 1, string version = "1.7") =>
        PlainPdf.Pages([.. Enumerable.Range(1, pages).Select(i => $"BT /F1 18 Tf 72 720 Td ({text} - halaman {i}) Tj ET")], version);

    /// <summary>One A4 page drawing <paramref name="content"/> (a content stream; Helvetica is /F1).</summary>
    public static byte[] Page(string content) => PlainPdf.Pages([content]);

    /// <summary>
    /// A decompression bomb (as bench/make-bomb.py writes): <paramref name="streams"/> object streams, each inflating to
    /// <paramref name="megabytes"/> MB of blanks around one signature field that the form lists, so a verifier decompresses all.
    /// </summary>
    public static byte[] Bomb(int streams, int megabytes)
    {
        const int firstField = 100;
        var output = new MemoryStream();
        var offsets = new Dictionary<int, long>();
        void Write(string text) => output.Write(Encoding.Latin1.GetBytes(text));
        void Object(int number, string body, byte[]? stream = null)
        {
            offsets[number] = output.Position;
            Write($"{number} 0 obj\n{body}");
            if (stream is not null)
            {
                Write("\nstream\n");
                output.Write(stream);
                Write("\nendstream");
            }
            Write("\nendobj\n");
        }
        Write("%PDF-1.7\n");
        string fields = string.Join(' ', Enumerable.Range(firstField, streams).Select(n => $"{n} 0 R"));
        Object(1, $"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [{fields}] /SigFlags 3 >> >>");
        Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        Object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
        byte[] blank = new byte[1024 * 1024];
        Array.Fill(blank, (byte)' ');
        for (int i = 0; i < streams; i++)
        {
            var compressed = new MemoryStream();
            using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zlib.Write(Encoding.ASCII.GetBytes($"{firstField + i} {megabytes * 1024 * 1024}".PadRight(32)));
                for (int m = 0; m < megabytes; m++)
                {
                    zlib.Write(blank);
                }
                zlib.Write(Encoding.ASCII.GetBytes($"<< /FT /Sig /T (Tanda{i}) >>"));
            }
            byte[] data = compressed.ToArray();
            Object(10 + i, $"<< /Type /ObjStm /N 1 /First 32 /Filter /FlateDecode /Length {data.Length} >>", data);
        }
        int size = firstField + streams, xref = 10 + streams;
        offsets[xref] = output.Position;
        var rows = new MemoryStream();
        for (int n = 0; n < size; n++)
        {
            (byte type, long field2, int field3) = offsets.TryGetValue(n, out long at) ? ((byte)1, at, 0)
                : n >= firstField ? ((byte)2, 10 + n - firstField, 0) : ((byte)0, 0L, n == 0 ? 65535 : 0);
            rows.WriteByte(type);
            rows.Write([(byte)(field2 >> 24), (byte)(field2 >> 16), (byte)(field2 >> 8), (byte)field2, (byte)(field3 >> 8), (byte)field3]);
        }
        Object(xref, $"<< /Type /XRef /Size {size} /W [1 4 2] /Root 1 0 R /Length {rows.Length} >>", rows.ToArray());
        Write($"startxref\n{offsets[xref]}\n%%EOF\n");
        return output.ToArray();
    }
}
