using System.Security.Cryptography;

namespace Segel.Pki.Transparency;

/// <summary>
/// Checking RFC 9162's proofs without the tree (sections 2.1.3.2 and 2.1.4.2): what an auditor or a relying
/// party holding only a signed tree head and the proof does.
/// </summary>
public static class MerkleProofs
{
    /// <summary>Whether <paramref name="proof"/> shows the leaf with <paramref name="leafHash"/> at <paramref name="index"/> in the tree of <paramref name="size"/> leaves and <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long size, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || index >= size)
        {
            return false;
        }
        long fn = index, sn = size - 1;
        byte[] r = leafHash.ToArray();
        foreach (byte[] p in proof)
        {
            if (sn == 0 || p.Length != MerkleTree.HashLength)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleTree.HashChildren(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleTree.HashChildren(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }

    /// <summary>Whether <paramref name="proof"/> shows the tree of <paramref name="first"/> leaves (<paramref name="firstRoot"/>) is a prefix of the one of <paramref name="second"/> (<paramref name="secondRoot"/>).</summary>
    public static bool VerifyConsistency(long first, long second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (first < 1 || first > second)
        {
            return false;
        }
        if (first == second)
        {
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(firstRoot, secondRoot);
        }
        if (proof.Count == 0 || proof.Any(p => p.Length != MerkleTree.HashLength))
        {
            return false;
        }
        List<byte[]> path = [.. proof];
        if (System.Numerics.BitOperations.IsPow2(first))
        {
            path.Insert(0, firstRoot.ToArray());
        }
        long fn = first - 1, sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path[0], sr = path[0];
        foreach (byte[] c in path.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleTree.HashChildren(c, fr);
                sr = MerkleTree.HashChildren(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleTree.HashChildren(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && CryptographicOperations.FixedTimeEquals(fr, firstRoot) && CryptographicOperations.FixedTimeEquals(sr, secondRoot);
    }
}
