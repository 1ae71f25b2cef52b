using System.Buffers.Binary;

namespace Segel.Pki.Transparency;

/// <summary>
/// A tree head as Segel signs it: the log's size, its root and when. The signed bytes follow RFC 9162's
/// TreeHeadDataV2 in spirit (timestamp, tree size, root hash, no extensions), prefixed with a label so a
/// signature over a tree head can never be mistaken for any other thing the same key signs.
/// </summary>
public sealed record TreeHead(long TreeSize, byte[] RootHash, DateTimeOffset Timestamp)
{
    private static readonly byte[] Label = "segel-transparency-log-v1\n"u8.ToArray();

    public byte[] ToBeSigned()
    {
        ArgumentNullException.ThrowIfNull(RootHash);
        byte[] bytes = new byte[Label.Length + 8 + 8 + 1 + RootHash.Length];
        Label.CopyTo(bytes, 0);
        int at = Label.Length;
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(at), (ulong)Timestamp.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(at + 8), (ulong)TreeSize);
        bytes[at + 16] = (byte)RootHash.Length;
        RootHash.CopyTo(bytes, at + 17);
        return bytes;
    }
}
