using System.Security.Cryptography;
using Segel.Pki.Transparency;

namespace Segel.Pki.Tests.Transparency;

/// <summary>
/// The transparency log's tree against RFC 9162 as written: a naive MTH, PATH and PROOF straight from the
/// definitions in section 2.1 (recursion over lists, nothing shared with MerkleTree), and a verifier that
/// rebuilds the root from a proof by that same recursion. Certificate Transparency's published roots for its
/// eight-leaf test tree pin the hashing.
/// </summary>
public sealed class MerkleTreeTests
{
    private static readonly byte[][] CtLeaves =
        [.. new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }.Select(Convert.FromHexString)];

    [Theory]
    [InlineData(1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    [InlineData(2, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]
    [InlineData(3, "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77")]
    [InlineData(4, "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]
    [InlineData(5, "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4")]
    [InlineData(6, "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef")]
    [InlineData(7, "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c")]
    [InlineData(8, "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")]
    public void Roots_match_certificate_transparencys_test_tree(int size, string root)
    {
        var tree = new MerkleTree();
        foreach (byte[] leaf in CtLeaves)
        {
            tree.AppendLeafHash(MerkleTree.HashLeaf(leaf));
        }
        Assert.Equal(root, Convert.ToHexStringLower(tree.RootHash(size)));
        Assert.Equal(root, Convert.ToHexStringLower(Mth(CtLeaves[..size])));
    }

    [Fact]
    public void Every_inclusion_proof_is_rfc_9162s_path_and_verifies_and_a_wrong_one_does_not()
    {
        byte[][] leaves = Leaves(70);
        var tree = new MerkleTree();
        foreach (byte[] leaf in leaves)
        {
            tree.AppendLeafHash(MerkleTree.HashLeaf(leaf));
        }
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(tree.RootHash(0)));
        for (int n = 1; n <= leaves.Length; n++)
        {
            byte[] root = Mth(leaves[..n]);
            Assert.Equal(root, tree.RootHash(n));
            for (int m = 0; m < n; m++)
            {
                IReadOnlyList<byte[]> proof = tree.InclusionProof(m, n);
                Assert.Equal(Path(m, leaves[..n]), proof);
                Assert.Equal(root, RootFromPath(m, n, Leaf(leaves[m]), proof));
                Assert.True(MerkleProofs.VerifyInclusion(Leaf(leaves[m]), m, n, proof, root), $"leaf {m} of {n}");
                Assert.False(MerkleProofs.VerifyInclusion(Leaf([.. leaves[m], 1]), m, n, proof, root));
                if (n > 1)
                {
                    Assert.False(MerkleProofs.VerifyInclusion(Leaf(leaves[m]), (m + 1) % n, n, proof, root));
                    Assert.False(MerkleProofs.VerifyInclusion(Leaf(leaves[m]), m, n, [.. proof.Take(proof.Count - 1)], root));
                }
            }
        }
    }

    [Fact]
    public void Every_consistency_proof_is_rfc_9162s_proof_and_verifies_and_a_rewritten_history_does_not()
    {
        byte[][] leaves = Leaves(40);
        var tree = new MerkleTree();
        foreach (byte[] leaf in leaves)
        {
            tree.AppendLeafHash(MerkleTree.HashLeaf(leaf));
        }
        for (int n = 1; n <= leaves.Length; n++)
        {
            for (int m = 1; m <= n; m++)
            {
                IReadOnlyList<byte[]> proof = tree.ConsistencyProof(m, n);
                Assert.Equal(Proof(m, leaves[..n]), proof);
                byte[] first = Mth(leaves[..m]), second = Mth(leaves[..n]);
                Assert.True(MerkleProofs.VerifyConsistency(m, n, first, second, proof), $"{m} -> {n}");
                // A log that changed leaf 0 after the first head was signed cannot prove the heads consistent.
                byte[][] rewritten = [[.. leaves[0], 0xFF], .. leaves[1..n]];
                Assert.False(MerkleProofs.VerifyConsistency(m, n, first, Mth(rewritten), proof));
                if (m < n)
                {
                    Assert.False(MerkleProofs.VerifyConsistency(m, n, Mth(rewritten[..m]), second, proof));
                }
            }
        }
    }

    [Fact]
    public void Proofs_outside_the_tree_are_refused()
    {
        var tree = new MerkleTree();
        tree.AppendLeafHash(Leaf([1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.InclusionProof(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.RootHash(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.ConsistencyProof(0, 1));
        Assert.Throws<ArgumentException>(() => tree.AppendLeafHash(new byte[31]));
        Assert.False(MerkleProofs.VerifyInclusion(Leaf([1]), 1, 1, [], tree.RootHash(1)));
        Assert.False(MerkleProofs.VerifyConsistency(2, 1, tree.RootHash(1), tree.RootHash(1), []));
    }

    private static byte[][] Leaves(int count) => [.. Enumerable.Range(0, count).Select(i => BitConverter.GetBytes(i * 7919))];

    // RFC 9162 2.1.1, as written.
    private static byte[] Leaf(byte[] data) => SHA256.HashData([0x00, .. data]);

    private static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    private static int K(int n)
    {
        int k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }
        return k;
    }

    private static byte[] Mth(byte[][] d) => d.Length switch
    {
        0 => SHA256.HashData([]),
        1 => Leaf(d[0]),
        _ => Node(Mth(d[..K(d.Length)]), Mth(d[K(d.Length)..])),
    };

    // RFC 9162 2.1.3.1.
    private static List<byte[]> Path(int m, byte[][] d)
    {
        if (d.Length == 1)
        {
            return [];
        }
        int k = K(d.Length);
        return m < k ? [.. Path(m, d[..k]), Mth(d[k..])] : [.. Path(m - k, d[k..]), Mth(d[..k])];
    }

    // RFC 9162 2.1.4.1.
    private static List<byte[]> Proof(int m, byte[][] d) => SubProof(m, d, true);

    private static List<byte[]> SubProof(int m, byte[][] d, bool b)
    {
        int n = d.Length;
        if (m == n)
        {
            return b ? [] : [Mth(d)];
        }
        int k = K(n);
        return m <= k ? [.. SubProof(m, d[..k], b), Mth(d[k..])] : [.. SubProof(m - k, d[k..], false), Mth(d[..k])];
    }

    // The root a PATH leads to, by the same recursion read backwards (the proof's last element is the top sibling).
    private static byte[] RootFromPath(int m, int n, byte[] leaf, IReadOnlyList<byte[]> path)
    {
        if (n == 1)
        {
            Assert.Empty(path);
            return leaf;
        }
        int k = K(n);
        byte[] sibling = path[^1];
        List<byte[]> rest = [.. path.Take(path.Count - 1)];
        return m < k ? Node(RootFromPath(m, k, leaf, rest), sibling) : Node(sibling, RootFromPath(m - k, n - k, leaf, rest));
    }
}
