using System.Numerics;
using System.Security.Cryptography;

namespace Segel.Pki.Transparency;

/// <summary>
/// An append-only Merkle tree as RFC 9162 (section 2.1) defines it, with SHA-256: leaves hashed with a 0x00
/// prefix, interior nodes with 0x01, and a tree of n leaves split at the largest power of two below n. Every
/// complete, aligned subtree's hash is kept level by level (about two hashes per leaf), so an append costs one
/// hash amortised and any root, inclusion proof or consistency proof O(log² n) lookups. Not thread-safe: the
/// owner serialises access.
/// </summary>
public sealed class MerkleTree
{
    public const int HashLength = 32;

    // _levels[k] holds the hashes of the complete subtrees of 2^k leaves, left to right.
    private readonly List<HashColumn> _levels = [new HashColumn()];

    /// <summary>The number of leaves.</summary>
    public long Size => _levels[0].Count;

    /// <summary>RFC 9162's MTH of one leaf: SHA-256(0x00 || data).</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> data)
    {
        byte[] hash = new byte[HashLength];
        HashLeaf(data, hash);
        return hash;
    }

    /// <summary><see cref="HashLeaf(ReadOnlySpan{byte})"/> into <paramref name="destination"/>, without allocating for leaves the size Segel writes.</summary>
    public static void HashLeaf(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (data.Length < 512)
        {
            Span<byte> buffer = stackalloc byte[data.Length + 1];
            buffer[0] = 0x00;
            data.CopyTo(buffer[1..]);
            SHA256.HashData(buffer, destination);
            return;
        }
        using IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        sha.AppendData(data);
        sha.GetHashAndReset(destination);
    }

    /// <summary>An interior node: SHA-256(0x01 || left || right).</summary>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * HashLength)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashLength)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>Appends a leaf by its hash (<see cref="HashLeaf"/>), completing the subtrees it closes.</summary>
    public void AppendLeafHash(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != HashLength)
        {
            throw new ArgumentException($"A leaf hash has {HashLength} bytes.", nameof(leafHash));
        }
        _levels[0].Add(leafHash);
        Span<byte> node = stackalloc byte[1 + (2 * HashLength)];
        Span<byte> parent = stackalloc byte[HashLength];
        node[0] = 0x01;
        for (int level = 0; (_levels[level].Count & 1) == 0; level++)
        {
            if (level + 1 == _levels.Count)
            {
                _levels.Add(new HashColumn());
            }
            HashColumn below = _levels[level];
            below.Get(below.Count - 2).CopyTo(node[1..]);
            below.Get(below.Count - 1).CopyTo(node[(1 + HashLength)..]);
            SHA256.HashData(node, parent);
            _levels[level + 1].Add(parent);
        }
    }

    /// <summary>The leaf hash at <paramref name="index"/>.</summary>
    public byte[] LeafHash(long index)
    {
        Check(index, Size, nameof(index));
        return _levels[0].Get(index).ToArray();
    }

    /// <summary>MTH(D[0:size]): the root of the tree as it was with <paramref name="size"/> leaves. The empty tree's is SHA-256 of nothing.</summary>
    public byte[] RootHash(long size)
    {
        CheckSize(size);
        return size == 0 ? SHA256.HashData([]) : Subtree(0, size);
    }

    /// <summary>PATH(m, D[0:size]) (RFC 9162 2.1.3.1): the audit path proving leaf <paramref name="index"/> is in the tree of <paramref name="size"/> leaves.</summary>
    public IReadOnlyList<byte[]> InclusionProof(long index, long size)
    {
        CheckSize(size);
        Check(index, size, nameof(index));
        var path = new List<byte[]>();
        Path(index, 0, size, path);
        return path;
    }

    /// <summary>PROOF(first, D[0:second]) (RFC 9162 2.1.4.1): that the tree of <paramref name="first"/> leaves is a prefix of the one of <paramref name="second"/>.</summary>
    public IReadOnlyList<byte[]> ConsistencyProof(long first, long second)
    {
        CheckSize(second);
        if (first < 1 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"A consistency proof needs 1 <= first <= second ({second}).");
        }
        var proof = new List<byte[]>();
        SubProof(first, 0, second, true, proof);
        return proof;
    }

    private void Path(long index, long start, long size, List<byte[]> path)
    {
        if (size == 1)
        {
            return;
        }
        long k = SplitPoint(size);
        if (index < k)
        {
            Path(index, start, k, path);
            path.Add(Subtree(start + k, size - k));
        }
        else
        {
            Path(index - k, start + k, size - k, path);
            path.Add(Subtree(start, k));
        }
    }

    private void SubProof(long m, long start, long size, bool whole, List<byte[]> proof)
    {
        if (m == size)
        {
            if (!whole)
            {
                proof.Add(Subtree(start, size));
            }
            return;
        }
        long k = SplitPoint(size);
        if (m <= k)
        {
            SubProof(m, start, k, whole, proof);
            proof.Add(Subtree(start + k, size - k));
        }
        else
        {
            SubProof(m - k, start + k, size - k, false, proof);
            proof.Add(Subtree(start, k));
        }
    }

    // MTH(D[start:start+size]). In RFC 9162's recursion every left part is a complete subtree aligned on its
    // size, so it is one lookup; only the right edge is combined on the way.
    private byte[] Subtree(long start, long size)
    {
        if (BitOperations.IsPow2(size) && start % size == 0)
        {
            return _levels[BitOperations.Log2((ulong)size)].Get(start / size).ToArray();
        }
        long k = SplitPoint(size);
        return HashChildren(Subtree(start, k), Subtree(start + k, size - k));
    }

    /// <summary>The largest power of two smaller than <paramref name="size"/> (size > 1).</summary>
    internal static long SplitPoint(long size) => (long)BitOperations.RoundUpToPowerOf2((ulong)size) >> 1;

    private void CheckSize(long size)
    {
        if (size < 0 || size > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"The tree has {Size} leaves; no tree of {size}.");
        }
    }

    private static void Check(long index, long size, string name)
    {
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(name, $"Leaf {index} is not in a tree of {size}.");
        }
    }

    /// <summary>Hashes of one level in one growing buffer: a million leaves are one array, not a million.</summary>
    private sealed class HashColumn
    {
        private byte[] _buffer = new byte[HashLength * 64];

        public long Count { get; private set; }

        public void Add(ReadOnlySpan<byte> hash)
        {
            long end = (Count + 1) * HashLength;
            if (end > _buffer.LongLength)
            {
                Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max(end, _buffer.LongLength * 2)));
            }
            hash.CopyTo(_buffer.AsSpan((int)(Count * HashLength)));
            Count++;
        }

        public ReadOnlySpan<byte> Get(long index) => _buffer.AsSpan((int)(index * HashLength), HashLength);
    }
}
