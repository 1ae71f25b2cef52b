namespace Segel.Core.Signing;

/// <summary>Bytes already in memory (an upload, a form's file) read as a stream.</summary>
internal static class MemoryStreams
{
    /// <summary>A read-only stream over <paramref name="content"/>, without copying it when it is an array already.</summary>
    public static MemoryStream ReadOnly(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out ArraySegment<byte> bytes)
            ? new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
