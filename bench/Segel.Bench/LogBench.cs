using System.Diagnostics;
using System.Security.Cryptography;
using Segel.Pki.Transparency;

/// <summary>
/// The transparency log's tree: N leaves appended (each hashed as RFC 9162 asks, then the subtrees it completes),
/// then inclusion and consistency proofs at random points, beside the raw limit — SHA-256 of the same N leaves
/// alone, in the same run. An append hashes the leaf and, amortised, one interior node, so twice the raw figure
/// is the floor.
/// </summary>
internal static class LogBench
{
    private const int LeafLength = 74; // a signature's leaf: version, kind, time, two SHA-256 hashes

    public static int Run(int count)
    {
        byte[] leaves = new byte[(long)count * LeafLength > int.MaxValue ? throw new ArgumentOutOfRangeException(nameof(count)) : count * LeafLength];
        RandomNumberGenerator.Fill(leaves);
        Span<byte> digest = stackalloc byte[32];

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            SHA256.HashData(leaves.AsSpan(i * LeafLength, LeafLength), digest);
        }
        double raw = watch.Elapsed.TotalSeconds;

        var tree = new MerkleTree();
        watch.Restart();
        for (int i = 0; i < count; i++)
        {
            MerkleTree.HashLeaf(leaves.AsSpan(i * LeafLength, LeafLength), digest);
            tree.AppendLeafHash(digest);
        }
        double append = watch.Elapsed.TotalSeconds;
        byte[] root = tree.RootHash(count);

        const int Proofs = 10_000;
        var random = new Random(17);
        long[] indexes = [.. Enumerable.Range(0, Proofs).Select(_ => random.NextInt64(count))];
        watch.Restart();
        int pathLength = 0;
        foreach (long index in indexes)
        {
            pathLength += tree.InclusionProof(index, count).Count;
        }
        double inclusion = watch.Elapsed.TotalSeconds;
        long[] firsts = [.. Enumerable.Range(0, Proofs).Select(_ => 1 + random.NextInt64(count))];
        watch.Restart();
        int proofLength = 0;
        foreach (long first in firsts)
        {
            proofLength += tree.ConsistencyProof(first, count).Count;
        }
        double consistency = watch.Elapsed.TotalSeconds;

        // One of each, checked, so the figures are of working proofs.
        long probe = indexes[0];
        bool ok = MerkleProofs.VerifyInclusion(MerkleTree.HashLeaf(leaves.AsSpan((int)probe * LeafLength, LeafLength)), probe, count, tree.InclusionProof(probe, count), root)
            && MerkleProofs.VerifyConsistency(firsts[0], count, tree.RootHash(firsts[0]), root, tree.ConsistencyProof(firsts[0], count));
        Console.WriteLine($"raw-sha256 leaves={count} seconds={raw:F2} hashes_per_s={count / raw:F0}");
        Console.WriteLine($"log-append leaves={count} seconds={append:F2} leaves_per_s={count / append:F0} ratio_to_raw={append / raw:F2} memory_mib={GC.GetTotalMemory(false) / 1048576}");
        Console.WriteLine($"log-inclusion proofs={Proofs} seconds={inclusion:F3} proofs_per_s={Proofs / inclusion:F0} mean_path={(double)pathLength / Proofs:F1}");
        Console.WriteLine($"log-consistency proofs={Proofs} seconds={consistency:F3} proofs_per_s={Proofs / consistency:F0} mean_length={(double)proofLength / Proofs:F1} verified={ok}");
        return ok ? 0 : 1;
    }
}
