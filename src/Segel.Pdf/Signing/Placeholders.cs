using System.Globalization;
using System.Text;
using Segel.Pdf.Model;

namespace Segel.Pdf.Signing;

/// <summary>
/// The /ByteRange of a signature dictionary, written at a fixed width so that the real numbers, known only
/// after the whole file is written, can be put in place without moving a byte.
/// </summary>
internal sealed class ByteRangePlaceholder : PdfObject
{
    public const int Width = 44; // "[0 " + three 10-digit numbers + spaces + "]", padded

    public long Offset { get; private set; } = -1;

    public override void WriteTo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Offset = output.Position;
        output.Write(Encoding.ASCII.GetBytes("[" + new string(' ', Width - 2) + "]"));
    }

    public static byte[] Render(long contentsStart, long contentsEnd, long total)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"[0 {contentsStart} {contentsEnd} {total - contentsEnd}]");
        return text.Length > Width ? throw new InvalidOperationException("The file is too large for the byte range placeholder.") : Encoding.ASCII.GetBytes(text.PadRight(Width));
    }
}

/// <summary>The /Contents hex string, zeros until the CMS signature is written into it.</summary>
internal sealed class ContentsPlaceholder(int capacity) : PdfObject
{
    /// <summary>Room for the DER signature, in bytes (the hex string is twice as long, plus the angle brackets).</summary>
    public int Capacity { get; } = capacity;

    public long Offset { get; private set; } = -1;

    public long Length => 2L * Capacity + 2;

    public override void WriteTo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Offset = output.Position;
        output.WriteByte((byte)'<');
        byte[] zeros = new byte[2 * Capacity];
        Array.Fill(zeros, (byte)'0');
        output.Write(zeros);
        output.WriteByte((byte)'>');
    }
}
