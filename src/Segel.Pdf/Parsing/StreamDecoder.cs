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

    public static byte[] Decode(PdfDictionary dictionary, ReadOnlySpan<byte> raw, Func<PdfObject?, PdfObject?> resolve, InflateBudget? budget = null)
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
                "FlateDecode" or "Fl" => Predict(Inflate(data, budget), p),
                _ => throw new PdfFormatException($"Segel cannot read a {filters[i]} cross-reference or object stream."),
            };
        }
        return data;
    }

    // Two passes: the first only counts what the data inflates to (through one small buffer, against the budget), the
    // second fills an array of exactly that size. A bomb is refused having cost a buffer, not the gigabytes it claims,
    // and an honest stream makes no garbage of growing buffers (xref and object streams are small; inflating twice is cheap).
    private static byte[] Inflate(byte[] data, InflateBudget? budget)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long length = 0;
            using (var counting = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress))
            {
                try
                {
                    int read;
                    while ((read = counting.Read(buffer)) > 0)
                    {
                        length += read;
                        if (length > MaxDecodedLength)
                        {
                            throw new PdfFormatException($"A compressed stream expands beyond {MaxDecodedLength / 1024 / 1024} MiB.");
                        }
                        if (budget is not null && length > budget.Remaining)
                        {
                            budget.Spend(length); // throws: more than is left
                        }
                    }
                }
                catch (InvalidDataException)
                {
                    // Truncated deflate data is common in damaged files; keep what decoded, as readers do.
                }
            }
            budget?.Spend(length);
            byte[] output = new byte[length];
            using var zlib = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
            int filled = 0;
            try
            {
                while (filled < output.Length)
                {
                    int read = zlib.Read(output, filled, output.Length - filled);
                    if (read == 0)
                    {
                        break;
                    }
                    filled += read;
                }
            }
            catch (InvalidDataException)
            {
                // The same truncation as in the first pass.
            }
            return output;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
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
