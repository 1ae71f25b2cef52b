using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Core.Supervision;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Core.Tests.Supervision;

/// <summary>
/// Issue 17's public transparency log on both databases: every issuance and revocation becomes a leaf in its own
/// transaction, heads are signed and time-stamped (checked with openssl), inclusion and consistency proofs verify
/// with RFC 9162's algorithms written here, and an insider's rewrite — undoing a revocation, deleting or altering
/// an entry, rebuilding the history — is named by the verifier, even against a head an auditor saved earlier.
/// </summary>
public sealed class TransparencyLogTests
{
    private static readonly Actor Operator = new("test:operator");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Leaves_heads_and_proofs_check_out_independently_and_a_rewrite_is_caught(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        TransparencyLog log = test.Ca.TransparencyLog;
        // Issued from several callers at once: the indexes stay gapless.
        IssuedCertificate[] issued = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            test.Ca.Issuance.IssueFromCsrAsync(Csr.Create($"Pegawai {i}"), new HolderDetails(), CertificateProfile.Subscriber, Operator)));
        await test.Ca.Revocation.RevokeAsync(issued[0].Record.SerialHex, RevocationReason.KeyCompromise, Operator);
        SignedTreeHead first = (await log.SignHeadAsync(Principal.System))!;
        Assert.Null(await log.SignHeadAsync(Principal.System)); // nothing new, no new head
        Assert.Equal(3 + 6 + 1, first.TreeSize); // the CA's service certificates, six holders, one revocation
        Assert.True((await test.Ca.TransparencyLogVerifier.VerifyAsync(Principal.Console, first)).Intact);

        // The head: signed by the TSA's key and time-stamped by the TSA, as openssl sees it.
        byte[] tbs = Tbs(first);
        string dir = test.Directory.Path;
        File.WriteAllBytes(Path.Combine(dir, "sth.bin"), tbs);
        File.WriteAllBytes(Path.Combine(dir, "sth.sig"), Convert.FromBase64String(first.Signature));
        File.WriteAllBytes(Path.Combine(dir, "sth.tst"), Convert.FromBase64String(first.TimeStampToken));
        using var tsa = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(first.SignerCertificate));
        test.Directory.Write("tsa-key.pem", PemEncoding.WriteString("PUBLIC KEY", tsa.PublicKey.ExportSubjectPublicKeyInfo()));
        Assert.Contains("Verified OK", Tool.OpenSslOk("dgst", "-sha256", "-verify", Path.Combine(dir, "tsa-key.pem"), "-signature", Path.Combine(dir, "sth.sig"),
            Path.Combine(dir, "sth.bin")), StringComparison.Ordinal);
        LoadedAuthority tsaAuthority = await test.Ca.Ring.GetActiveAsync(AuthorityRole.TimeStamping);
        IReadOnlyList<X509Certificate2> chain = await test.Ca.Ring.ChainFromAsync(tsaAuthority.Record.ParentId);
        test.Directory.Write("root.pem", chain[^1].ExportCertificatePem());
        test.Directory.Write("untrusted.pem", string.Concat(chain.Take(chain.Count - 1).Select(c => c.ExportCertificatePem() + "\n")) + tsa.ExportCertificatePem());
        Assert.Contains("Verification: OK", Tool.OpenSslOk("ts", "-verify", "-data", Path.Combine(dir, "sth.bin"), "-in", Path.Combine(dir, "sth.tst"), "-token_in",
            "-CAfile", Path.Combine(dir, "root.pem"), "-untrusted", Path.Combine(dir, "untrusted.pem")), StringComparison.Ordinal);

        // Each holder's certificate is in the tree: its leaf rebuilt here from the documented format and the DER.
        byte[] root = Convert.FromBase64String(first.RootHash);
        foreach (IssuedCertificate one in issued)
        {
            InclusionProof proof = (await log.InclusionOfAsync(one.Record.SerialHex))!;
            byte[] leaf = [1, 1, .. Millis(one.Record.IssuedAt), .. SHA256.HashData(one.Certificate.RawData)];
            Assert.Equal(SHA256.HashData([0x00, .. leaf]), Convert.FromBase64String(proof.LeafHash));
            Assert.True(VerifyInclusion(SHA256.HashData([0x00, .. leaf]), proof.LeafIndex, proof.TreeSize, [.. proof.AuditPath.Select(Convert.FromBase64String)], root));
        }

        // More history, a second head, and the proof that the first is a prefix of it.
        await test.Ca.Revocation.RevokeAsync(issued[1].Record.SerialHex, RevocationReason.Superseded, Operator);
        SignedTreeHead second = (await log.SignHeadAsync(Principal.System))!;
        ConsistencyProof consistency = await log.ConsistencyAsync(first.TreeSize, second.TreeSize);
        Assert.True(VerifyConsistency(first.TreeSize, second.TreeSize, root, Convert.FromBase64String(second.RootHash), [.. consistency.Path.Select(Convert.FromBase64String)]));

        // The insider: undoes a revocation, then rewrites an early leaf and its hash so the rows agree with each other.
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            await db.Certificates.Where(c => c.Id == issued[0].Record.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, (DateTimeOffset?)null).SetProperty(c => c.RevocationReason, (int?)null));
        }
        LogVerification undone = await test.Ca.TransparencyLogVerifier.VerifyAsync(Principal.Console, first);
        Assert.Contains(undone.Problems, p => P(p).Contains(issued[0].Record.SerialHex, StringComparison.Ordinal) && P(p).Contains("revocation was undone", StringComparison.Ordinal));
        // With the old CRLs deleted too, the publisher still refuses: the log remembers the revocation.
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            await db.Crls.Where(c => c.IssuerId == issuing.Id).ExecuteDeleteAsync();
        }
        SegelException refused = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Crls.PublishAsync(issuing));
        Assert.Contains($"transparency log records certificate {issued[0].Record.SerialHex}", refused.Message, StringComparison.Ordinal);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            LogEntryRecord entry = await db.LogEntries.SingleAsync(e => e.Index == 4);
            entry.LeafData = [.. entry.LeafData[..^1], (byte)(entry.LeafData[^1] ^ 1)];
            entry.LeafHash = SHA256.HashData([0x00, .. entry.LeafData]);
            await db.SaveChangesAsync();
        }
        LogVerification rewritten = await test.Ca.TransparencyLogVerifier.VerifyAsync(Principal.Console, first);
        Assert.Contains(rewritten.Problems, p => P(p).Contains($"tree head of {first.TreeSize} entries", StringComparison.Ordinal) && P(p).Contains("rewritten", StringComparison.Ordinal));
        Assert.Contains(rewritten.Problems, p => P(p).Contains("saved tree head", StringComparison.Ordinal) && P(p).Contains("not a prefix", StringComparison.Ordinal));
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            await db.LogEntries.Where(e => e.Index == 2).ExecuteDeleteAsync();
        }
        LogVerification cut = await test.Ca.TransparencyLogVerifier.VerifyAsync(Principal.Console, null);
        Assert.Contains(cut.Problems, p => P(p).Contains("#2 to #2 are missing", StringComparison.Ordinal));
    }

    private static string P(Segel.Texts.Localized problem) => problem.ToString();

    private static byte[] Millis(DateTimeOffset at)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)at.ToUnixTimeMilliseconds());
        return bytes;
    }

    // The signed bytes as docs/architecture.md describes them.
    private static byte[] Tbs(SignedTreeHead head) =>
        [.. "segel-transparency-log-v1\n"u8, .. Millis(head.Timestamp), .. Millis(DateTimeOffset.FromUnixTimeMilliseconds(head.TreeSize)), 32, .. Convert.FromBase64String(head.RootHash)];

    private static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    // RFC 9162 2.1.3.2, step by step.
    private static bool VerifyInclusion(byte[] leafHash, long leafIndex, long treeSize, byte[][] path, byte[] root)
    {
        if (leafIndex >= treeSize)
        {
            return false;
        }
        long fn = leafIndex, sn = treeSize - 1;
        byte[] r = leafHash;
        foreach (byte[] p in path)
        {
            if (sn == 0)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                r = Node(p, r);
                if ((fn & 1) == 0)
                {
                    do
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                    while ((fn & 1) == 0 && fn != 0);
                }
            }
            else
            {
                r = Node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.SequenceEqual(root);
    }

    // RFC 9162 2.1.4.2, step by step.
    private static bool VerifyConsistency(long first, long second, byte[] firstHash, byte[] secondHash, byte[][] proof)
    {
        if (proof.Length == 0)
        {
            return false;
        }
        List<byte[]> path = [.. proof];
        if ((first & (first - 1)) == 0)
        {
            path.Insert(0, firstHash);
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
                fr = Node(c, fr);
                sr = Node(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = Node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.SequenceEqual(firstHash) && sr.SequenceEqual(secondHash);
    }
}
