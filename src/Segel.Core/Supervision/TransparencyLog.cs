using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki;
using Segel.Pki.Transparency;
using Segel.Texts;

namespace Segel.Core.Supervision;

/// <summary>A signed tree head as it is published and as an auditor saves it (JSON): everything needed to check it again later.</summary>
public sealed record SignedTreeHead(long TreeSize, string RootHash, DateTimeOffset Timestamp, string Signature, string SignerCertificate, string TimeStampToken)
{
    internal TreeHead Head => new(TreeSize, Convert.FromBase64String(RootHash), Timestamp);

    internal static SignedTreeHead Of(LogHeadRecord head, X509Certificate2 signer) =>
        new(head.TreeSize, Convert.ToBase64String(head.RootHash), head.At, Convert.ToBase64String(head.Signature), Convert.ToBase64String(signer.RawData),
            Convert.ToBase64String(head.TimeStampToken));
}

/// <summary>A leaf's audit path to a signed tree head (RFC 9162 2.1.3).</summary>
public sealed record InclusionProof(long LeafIndex, long TreeSize, string LeafHash, IReadOnlyList<string> AuditPath, SignedTreeHead? TreeHead);

/// <summary>That an earlier tree is a prefix of a later one (RFC 9162 2.1.4).</summary>
public sealed record ConsistencyProof(long First, long Second, IReadOnlyList<string> Path);

/// <summary>One leaf as anyone may read it: the bytes hashed, and what they are about.</summary>
public sealed record LogEntryView(long Index, string Kind, DateTimeOffset At, string LeafData, string LeafHash);

/// <summary>
/// The public transparency log: every issuance, revocation and signature as a leaf of an RFC 9162 Merkle tree
/// (<see cref="Audit.TransparencyLeaves"/> writes them with the change), tree heads signed by the TSA's key and
/// time-stamped by the TSA, and the proofs that let anyone holding an earlier head catch a rewritten history.
/// The tree is kept in memory and brought up to date from the database before each answer.
/// </summary>
public sealed class TransparencyLog : IDisposable
{
    public const int MaxEntriesPerPage = 1000;
    private const int SyncPage = 10_000;

    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;
    private readonly TimeStamping _timeStamps;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly MerkleTree _tree = new();

    internal TransparencyLog(SegelDatabase database, AuthorityRing ring, TimeStamping timeStamps, TimeProvider time)
    {
        _database = database;
        _ring = ring;
        _timeStamps = timeStamps;
        _time = time;
    }

    /// <summary>The newest signed tree head, or null before the first.</summary>
    public async Task<SignedTreeHead?> LatestHeadAsync(CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        LogHeadRecord? head = await db.LogHeads.AsNoTracking().OrderByDescending(h => h.TreeSize).FirstOrDefaultAsync(cancellationToken);
        return head is null ? null : await ViewAsync(head, cancellationToken);
    }

    /// <summary>Signs and time-stamps a head for the tree as it is, if it grew since the last one. Returns it, or null.</summary>
    public async Task<SignedTreeHead?> SignHeadAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "sign-a-transparency-log-head");
        LoadedAuthority tsa = await _ring.GetActiveAsync(AuthorityRole.TimeStamping, cancellationToken);
        await using SegelDbContext db = _database.CreateContext();
        long last = await db.LogHeads.MaxAsync(h => (long?)h.TreeSize, cancellationToken) ?? 0;
        (long size, byte[] root) = await UseTreeAsync(t => (t.Size, t.RootHash(t.Size)), cancellationToken);
        if (size <= last)
        {
            return null;
        }
        var head = new TreeHead(size, root, DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds()));
        byte[] tbs = head.ToBeSigned();
        var record = new LogHeadRecord
        {
            TreeSize = size,
            RootHash = root,
            At = head.Timestamp,
            AuthorityId = tsa.Id,
            Signature = tsa.Key.SignData(tbs),
            TimeStampToken = await TimeStampAsync(tbs, cancellationToken),
        };
        db.LogHeads.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            return null; // another node signed the same size a moment ago
        }
        return SignedTreeHead.Of(record, tsa.Certificate);
    }

    /// <summary>The newest signed tree head; refuses before the first.</summary>
    public async Task<SignedTreeHead> RequireLatestHeadAsync(CancellationToken cancellationToken = default) =>
        await LatestHeadAsync(cancellationToken) ?? throw SegelException.NotFound(Localized.Of("Error.TransparencyLogNoSignedTree"));

    /// <summary>The audit path of leaf <paramref name="index"/> to the head of <paramref name="treeSize"/> leaves (default: the newest head).</summary>
    public async Task<InclusionProof> InclusionAsync(long index, long? treeSize, CancellationToken cancellationToken = default)
    {
        SignedTreeHead? head = treeSize is null ? await RequireLatestHeadAsync(cancellationToken) : await HeadOfSizeAsync(treeSize.Value, cancellationToken);
        return await InclusionAsync(index, treeSize ?? head!.TreeSize, head, cancellationToken);
    }

    private async Task<InclusionProof> InclusionAsync(long index, long size, SignedTreeHead? head, CancellationToken cancellationToken)
    {
        if (index < 0 || index >= size)
        {
            throw SegelException.Invalid("index", Localized.Of("Error.EntryNotTreeEntries", index, size));
        }
        return await UseTreeAsync(t =>
        {
            CheckSize(t, size);
            return new InclusionProof(index, size, Convert.ToBase64String(t.LeafHash(index)), [.. t.InclusionProof(index, size).Select(Convert.ToBase64String)], head);
        }, cancellationToken);
    }

    /// <summary>The proof for what a leaf is about (a certificate's serial, or signature:ID) against the newest head; null while no head covers it yet.</summary>
    public async Task<InclusionProof?> InclusionOfAsync(string subject, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        long? index = await db.LogEntries.AsNoTracking().Where(e => e.Subject == subject).OrderBy(e => e.Index).Select(e => (long?)e.Index).FirstOrDefaultAsync(cancellationToken);
        SignedTreeHead? head = await LatestHeadAsync(cancellationToken);
        if (index is not long i || head is null || i >= head.TreeSize)
        {
            return null;
        }
        return await InclusionAsync(i, head.TreeSize, head, cancellationToken);
    }

    public async Task<ConsistencyProof> ConsistencyAsync(long first, long second, CancellationToken cancellationToken = default)
    {
        if (first < 1 || first > second)
        {
            throw SegelException.Invalid("first", Localized.Of("Error.ConsistencyProofNeeds1First"));
        }
        return await UseTreeAsync(t =>
        {
            CheckSize(t, second);
            return new ConsistencyProof(first, second, [.. t.ConsistencyProof(first, second).Select(Convert.ToBase64String)]);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<LogEntryView>> EntriesAsync(long start, int count, CancellationToken cancellationToken = default)
    {
        if (start < 0 || count is < 1 or > MaxEntriesPerPage)
        {
            throw SegelException.Invalid("count", Localized.Of("Error.Ask1EntriesStart0", MaxEntriesPerPage));
        }
        await using SegelDbContext db = _database.CreateContext();
        List<LogEntryRecord> entries = await db.LogEntries.AsNoTracking().Where(e => e.Index >= start).OrderBy(e => e.Index).Take(count).ToListAsync(cancellationToken);
        return [.. entries.Select(e => new LogEntryView(e.Index, e.Kind, e.At, Convert.ToBase64String(e.LeafData), Convert.ToBase64String(e.LeafHash)))];
    }

    private async Task<SignedTreeHead?> HeadOfSizeAsync(long treeSize, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _database.CreateContext();
        LogHeadRecord? head = await db.LogHeads.AsNoTracking().SingleOrDefaultAsync(h => h.TreeSize == treeSize, cancellationToken);
        return head is null ? null : await ViewAsync(head, cancellationToken);
    }

    private async Task<SignedTreeHead> ViewAsync(LogHeadRecord head, CancellationToken cancellationToken)
    {
        LoadedAuthority signer = await _ring.FindByIdAsync(head.AuthorityId, cancellationToken)
            ?? throw new InvalidOperationException($"Tree head {head.TreeSize} names authority {head.AuthorityId}, which is not in the ring.");
        return SignedTreeHead.Of(head, signer.Certificate);
    }

    public void Dispose() => _gate.Dispose();

    private static void CheckSize(MerkleTree tree, long size)
    {
        if (size > tree.Size)
        {
            throw SegelException.NotFound(Localized.Of("Error.TransparencyLogEntriesNot", tree.Size, size));
        }
    }

    private async Task<byte[]> TimeStampAsync(byte[] data, CancellationToken cancellationToken)
    {
        Rfc3161TimestampRequest request = Rfc3161TimestampRequest.CreateFromData(data, HashAlgorithmName.SHA256, requestSignerCertificates: true);
        byte[] response = await _timeStamps.RespondAsync(request.Encode(), cancellationToken);
        return request.ProcessResponse(response, out _).AsSignedCms().Encode();
    }

    /// <summary>Runs <paramref name="read"/> on the tree brought up to date with the database (new leaves only; one caller at a time).</summary>
    private async Task<T> UseTreeAsync<T>(Func<MerkleTree, T> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using SegelDbContext db = _database.CreateContext();
            while (true)
            {
                long from = _tree.Size;
                List<LogEntryRecord> page = await db.LogEntries.AsNoTracking().Where(e => e.Index >= from).OrderBy(e => e.Index).Take(SyncPage)
                    .ToListAsync(cancellationToken);
                foreach (LogEntryRecord entry in page)
                {
                    if (entry.Index != _tree.Size)
                    {
                        // Indexes are given gapless under a lock; a gap is a deleted row. Stop short of it: `segel log verify` names it.
                        return read(_tree);
                    }
                    _tree.AppendLeafHash(entry.LeafHash);
                }
                if (page.Count < SyncPage)
                {
                    return read(_tree);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
