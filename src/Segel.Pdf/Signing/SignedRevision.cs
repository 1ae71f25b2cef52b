
namespace Segel.Pdf.Signing;

/// <summary>
/// Writes one revision holding a signature-like dictionary (a signature or a document time-stamp): the input,
/// the incremental update, then the real /ByteRange and the CMS or time-stamp token produced over the byte
/// ranges, both written into the holes reserved for them. The ranges are hashed by streaming the output.
/// </summary>
internal static class SignedRevision
{
    public static async Task WriteAsync(ReadOnlyMemory<byte> input, Stream output, IncrementalUpdate update, ByteRangePlaceholder byteRange,
        ContentsPlaceholder contents, Func<Action<Stream>, Task<byte[]>> sign)
    {
        output.SetLength(0);
        output.Write(input.Span);
        if (input.Length > 0 && input.Span[^1] is not ((byte)'\n' or (byte)'\r'))
        {
            output.WriteByte((byte)'\n');
        }
        long baseOffset = output.Position;
        update.WriteTo(output, baseOffset);
        long total = output.Length;

        // The placeholders recorded where in the output they were written.
        long contentsStart = contents.Offset;
        long contentsEnd = contentsStart + contents.Length;
        output.Position = byteRange.Offset;
        output.Write(ByteRangePlaceholder.Render(contentsStart, contentsEnd, total));

        byte[] value = await sign(digest => CopyRanges(output, digest, [(0, contentsStart), (contentsEnd, total - contentsEnd)]));
        if (value.Length > contents.Capacity)
        {
            throw new InvalidOperationException($"The signature ({value.Length} bytes) does not fit the {contents.Capacity} bytes reserved for it.");
        }
        output.Position = contentsStart + 1;
        output.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexString(value)));
        output.Position = total;
    }

    /// <summary>
    /// Reads back what has been written so far, to build the next revision on it (B-LT and B-LTA add revisions
    /// after the signature's own).
    /// </summary>
    public static byte[] ReadBack(Stream output)
    {
        byte[] bytes = new byte[output.Length];
        output.Position = 0;
        output.ReadExactly(bytes);
        return bytes;
    }

    internal static void CopyRanges(Stream source, Stream destination, IEnumerable<(long Start, long Length)> ranges)
    {
        byte[] buffer = new byte[81920];
        foreach ((long start, long length) in ranges)
        {
            source.Position = start;
            long left = length;
            while (left > 0)
            {
                int read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0)
                {
                    throw new EndOfStreamException("The output ended before the signed byte range.");
                }
                destination.Write(buffer, 0, read);
                left -= read;
            }
        }
    }
}
