using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Transparency;
using Segel.Texts;

namespace Segel.Core.Supervision;

/// <summary>What <c>segel log verify</c> found: the entries and heads it checked, and every problem (none when the log is intact).</summary>
public sealed record LogVerification(long Entries, int Heads, IReadOnlyList<Localized> Problems)
{
    public bool Intact => Problems.Count == 0;
}

/// <summary>
/// Rebuilds the transparency log from its rows and checks it the way an outside auditor would: every leaf
/// hashes to what is stored and the indexes have no gap; every stored tree head carries the TSA's signature
/// and time-stamp and matches the root of the entries it covers; a head the auditor saved earlier is still a
/// prefix of the log (RFC 9162 consistency); and the certificates table agrees with the log — every
/// certificate issued since the log began has its leaf, every revocation the log records is still a
/// revocation in the table, and every certificate the log saw issued is still there.
/// </summary>
public sealed class TransparencyLogVerifier
{
    private const int Page = 10_000;
    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;

    internal TransparencyLogVerifier(SegelDatabase database, AuthorityRing ring)
    {
        _database = database;
        _ring = ring;
    }

    public async Task<LogVerification> VerifyAsync(Principal by, SignedTreeHead? saved, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.Auditor, "verify-the-transparency-log");
        var problems = new List<Localized>();
        var tree = new MerkleTree();
        var issued = new HashSet<string>(StringComparer.Ordinal);
        var revoked = new HashSet<string>(StringComparer.Ordinal);
        DateTimeOffset? start = null;
        await using SegelDbContext db = _database.CreateContext();
        bool gap = false;
        while (!gap)
        {
            long from = tree.Size;
            List<LogEntryRecord> page = await db.LogEntries.AsNoTracking().Where(e => e.Index >= from).OrderBy(e => e.Index).Take(Page).ToListAsync(cancellationToken);
            foreach (LogEntryRecord entry in page)
            {
                if (entry.Index != tree.Size)
                {
                    problems.Add(Localized.Of("Error.LogEntriesMissingDeletedBehind", tree.Size, entry.Index - 1));
                    gap = true;
                    break;
                }
                byte[] hash = MerkleTree.HashLeaf(entry.LeafData);
                if (!CryptographicOperations.FixedTimeEquals(hash, entry.LeafHash))
                {
                    problems.Add(Localized.Of("Error.LogEntryAlteredBytesNot", entry.Index));
                }
                tree.AppendLeafHash(hash);
                (byte kind, DateTimeOffset at, byte[] certificate) = TransparencyLeaves.Read(entry.LeafData);
                start ??= at;
                (kind switch { TransparencyLeaves.IssuedKind => issued, TransparencyLeaves.RevokedKind => revoked, _ => null })?.Add(Convert.ToHexString(certificate));
            }
            if (page.Count < Page)
            {
                break;
            }
        }

        List<LogHeadRecord> heads = await db.LogHeads.AsNoTracking().OrderBy(h => h.TreeSize).ToListAsync(cancellationToken);
        foreach (LogHeadRecord head in heads)
        {
            LoadedAuthority? signer = await _ring.FindByIdAsync(head.AuthorityId, cancellationToken);
            var data = new TreeHead(head.TreeSize, head.RootHash, head.At);
            if (signer is null || !TsaSignatures.Verify(signer.Certificate, data.ToBeSigned(), head.Signature) || !TimeStamped(data, head.TimeStampToken, signer.Certificate))
            {
                problems.Add(Localized.Of("Error.TreeHeadEntriesSignedUtcNot", head.TreeSize, head.At));
            }
            else if (head.TreeSize > tree.Size)
            {
                problems.Add(Localized.Of("Error.TreeHeadEntriesSignedUtc", head.TreeSize, head.At, tree.Size));
            }
            else if (!CryptographicOperations.FixedTimeEquals(tree.RootHash(head.TreeSize), head.RootHash))
            {
                problems.Add(Localized.Of("Error.TreeHeadEntriesSignedUtcNotMatch", head.TreeSize, head.At));
            }
        }
        if (saved is not null)
        {
            await CheckSavedAsync(db, saved, tree, problems, cancellationToken);
        }
        if (start is DateTimeOffset since)
        {
            await CheckCertificatesAsync(db, since, issued, revoked, problems, cancellationToken);
        }
        return new LogVerification(tree.Size, heads.Count, problems);
    }

    private static async Task CheckSavedAsync(SegelDbContext db, SignedTreeHead saved, MerkleTree tree, List<Localized> problems, CancellationToken cancellationToken)
    {
        using X509Certificate2? signer = Decode(saved, out TreeHead head, out byte[] signature);
        byte[] der = signer?.RawData ?? [];
        bool ours = signer is not null && await db.Authorities.AnyAsync(a => a.Role == AuthorityRole.TimeStamping && a.CertificateDer == der, cancellationToken);
        if (!ours || !TsaSignatures.Verify(signer!, head.ToBeSigned(), signature))
        {
            problems.Add(Localized.Of("Error.SavedTreeHeadEntriesSignedUtcNot", saved.TreeSize, saved.Timestamp));
            return;
        }
        if (head.TreeSize > tree.Size)
        {
            problems.Add(Localized.Of("Error.SavedTreeHeadEntriesSigned", saved.TreeSize, saved.Timestamp, tree.Size));
            return;
        }
        byte[] now = tree.RootHash(tree.Size);
        IReadOnlyList<byte[]> proof = tree.ConsistencyProof(head.TreeSize, tree.Size);
        if (!MerkleProofs.VerifyConsistency(head.TreeSize, tree.Size, head.RootHash, now, proof))
        {
            problems.Add(Localized.Of("Error.SavedTreeHeadEntriesSignedUtc", saved.TreeSize, saved.Timestamp));
        }
    }

    private static X509Certificate2? Decode(SignedTreeHead saved, out TreeHead head, out byte[] signature)
    {
        head = new TreeHead(saved.TreeSize, [], saved.Timestamp);
        signature = [];
        try
        {
            head = saved.Head;
            signature = Convert.FromBase64String(saved.Signature ?? "");
            return head.TreeSize > 0 && head.RootHash.Length == MerkleTree.HashLength ? X509CertificateLoader.LoadCertificate(Convert.FromBase64String(saved.SignerCertificate)) : null;
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static bool TimeStamped(TreeHead head, byte[] token, X509Certificate2 tsa) =>
        Rfc3161TimestampToken.TryDecode(token, out Rfc3161TimestampToken? decoded, out _) &&
        decoded.VerifySignatureForData(head.ToBeSigned(), out X509Certificate2? signer, [tsa]) && signer.RawData.AsSpan().SequenceEqual(tsa.RawData);

    private static async Task CheckCertificatesAsync(SegelDbContext db, DateTimeOffset since, HashSet<string> issued, HashSet<string> revoked, List<Localized> problems,
        CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var c in db.Certificates.AsNoTracking().Select(c => new { c.SerialHex, c.Der, c.IssuedAt, c.RevokedAt }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            string hash = Convert.ToHexString(SHA256.HashData(c.Der));
            present.Add(hash);
            if (c.IssuedAt >= since && !issued.Contains(hash))
            {
                problems.Add(Localized.Of("Error.CertificateNoIssuanceEntryLog", c.SerialHex));
            }
            if (revoked.Contains(hash) && c.RevokedAt is null)
            {
                problems.Add(Localized.Of("Error.LogRecordsCertificateRevokedBut", c.SerialHex));
            }
            else if (c.RevokedAt is DateTimeOffset at && at >= since && !revoked.Contains(hash))
            {
                problems.Add(Localized.Of("Error.CertificateRevokedTableButLog", c.SerialHex));
            }
        }
        int missing = issued.Count(h => !present.Contains(h));
        if (missing > 0)
        {
            problems.Add(Localized.Of("Error.CertificateSLogSawIssued", missing));
        }
    }
}
