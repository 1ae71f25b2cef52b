using System.IO.Compression;
using Segel.Pdf.Model;

namespace Segel.Pdf.Parsing;

/// <summary>
/// Decodes the streams Segel itself must read (cross-reference and object streams): FlateDecode with the PNG
/// and TIFF predictors. Output is capped, so a compression bomb is an error, not an out-of-memory.
/// </summary>
internal static class StreamDecoder
{
    public const int MaxDecodedLength = 64 * 1024 * 1024;

    public static byte[] Decode(PdfDictionary dictionary, ReadOnlySpan<byte> raw, Func<PdfObject?, PdfObject?> resolve)
    {
        PdfObject? filter = resolve(dictionary["Filter"]);
        PdfObject? parms = resolve(dictionary["DecodeParms"]);
        List<string> filters = filter switch
        {
            null => [],
            PdfName name => [name.Value],
            PdfArray array => array.Items.Select(i => (resolve(i) as PdfName)?.Value ?? "?").ToList(),
            _ => throw new PdfFormatException("A stream's /Filter is neither a name nor an array."),
        };
        byte[] data = raw.ToArray();
        for (int i = 0; i < filters.Count; i++)
        {
            PdfDictionary? p = parms switch
            {
                PdfDictionary d => d,
                PdfArray a when i < a.Count => resolve(a[i]) as PdfDictionary,
                _ => null,
            };
            data = filters[i] switch
            {
                "FlateDecode" or "Fl" => Predict(Inflate(data), p),
                _ => throw new PdfFormatException($"Segel cannot read a {filters[i]} cross-reference or object stream."),
            };
        }
        return data;
    }

    private static byte[] Inflate(byte[] data)
    {
        using var input = new MemoryStream(data);
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        byte[] buffer = new byte[81920];
        try
        {
            int read;
            while ((read = zlib.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > MaxDecodedLength)
                {
                    throw new PdfFormatException($"A compressed stream expands beyond {MaxDecodedLength / 1024 / 1024} MiB.");
                }
            }
        }
        catch (InvalidDataException)
        {
            // Truncated deflate data is common in damaged files; keep what decoded, as readers do.
        }
        return output.ToArray();
    }

    private static byte[] Predict(byte[] data, PdfDictionary? parms)
    {
        int predictor = (int)((parms?["Predictor"] as PdfNumber)?.Value ?? 1);
        if (predictor < 10)
        {
            return predictor == 1 ? data : throw new PdfFormatException($"Predictor {predictor} (TIFF) is not supported for cross-reference streams.");
        }
        int columns = (int)((parms?["Columns"] as PdfNumber)?.Value ?? 1);
        int colors = (int)((parms?["Colors"] as PdfNumber)?.Value ?? 1);
        int bits = (int)((parms?["BitsPerComponent"] as PdfNumber)?.Value ?? 8);
        if (columns is < 1 or > 1 << 20 || colors is < 1 or > 32 || bits is not (1 or 2 or 4 or 8 or 16))
        {
            throw new PdfFormatException("The stream's predictor parameters are out of range.");
        }
        int bytesPerPixel = Math.Max(1, colors * bits / 8);
        int rowLength = (columns * colors * bits + 7) / 8;
        var output = new List<byte>(data.Length);
        byte[] previous = new byte[rowLength];
        for (int offset = 0; offset + 1 + rowLength <= data.Length; offset += rowLength + 1)
        {
            byte type = data[offset];
            byte[] row = data.AsSpan(offset + 1, rowLength).ToArray();
            for (int i = 0; i < rowLength; i++)
            {
                int left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                int up = previous[i];
                int upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                row[i] = type switch
                {
                    0 => row[i],
                    1 => (byte)(row[i] + left),
                    2 => (byte)(row[i] + up),
                    3 => (byte)(row[i] + ((left + up) >> 1)),
                    4 => (byte)(row[i] + Paeth(left, up, upLeft)),
                    _ => throw new PdfFormatException($"Unknown PNG predictor row type {type}."),
                };
            }
            output.AddRange(row);
            previous = row;
        }
        return output.ToArray();
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
