using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki;

namespace Segel.Core.Supervision;

/// <summary>A checkpoint just signed: the entry it vouches for and when.</summary>
public sealed record AuditCheckpointMade(long Sequence, DateTimeOffset At);

/// <summary>
/// Signs the audit chain's head with the time-stamping authority's key, and checks those signatures. Anyone
/// holding the TSA certificate can check a checkpoint; no secret is needed, unlike the chain's MAC.
/// </summary>
public sealed class AuditCheckpoints
{
    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;
    private readonly TimeProvider _time;

    internal AuditCheckpoints(SegelDatabase database, AuthorityRing ring, TimeProvider time)
    {
        _database = database;
        _ring = ring;
        _time = time;
    }

    /// <summary>Signs the current head if entries were added since the last checkpoint. Returns the new checkpoint, or null.</summary>
    public async Task<AuditCheckpointMade?> CreateAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "sign-an-audit-checkpoint");
        LoadedAuthority tsa = await _ring.GetActiveAsync(AuthorityRole.TimeStamping, cancellationToken);
        await using SegelDbContext db = _database.CreateContext();
        var head = await db.AuditRecords.AsNoTracking().OrderByDescending(a => a.Sequence).Select(a => new { a.Sequence, a.Mac }).FirstOrDefaultAsync(cancellationToken);
        long last = await db.AuditCheckpoints.MaxAsync(c => (long?)c.Sequence, cancellationToken) ?? 0;
        if (head is null || head.Sequence <= last)
        {
            return null;
        }
        var checkpoint = new AuditCheckpointRecord
        {
            Sequence = head.Sequence,
            HeadMac = head.Mac!,
            At = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToWholeSeconds().ToUnixTimeMilliseconds()),
            AuthorityId = tsa.Id,
            Signature = [],
        };
        checkpoint.Signature = tsa.Key.SignData(ToBeSigned(checkpoint));
        db.AuditCheckpoints.Add(checkpoint);
        await db.SaveChangesAsync(cancellationToken);
        return new AuditCheckpointMade(checkpoint.Sequence, checkpoint.At);
    }

    /// <summary>
    /// Checks every checkpoint against the chain that <see cref="AuditVerifier"/> found intact up to
    /// <paramref name="entries"/>. Returns the first problem, or null.
    /// </summary>
    public async Task<(long? BrokenAt, string? Problem)> CheckAsync(long entries, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        List<AuditCheckpointRecord> checkpoints = await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
        foreach (AuditCheckpointRecord checkpoint in checkpoints)
        {
            LoadedAuthority? signer = await _ring.FindByIdAsync(checkpoint.AuthorityId, cancellationToken);
            if (signer is null || !VerifySignature(signer, checkpoint))
            {
                return (checkpoint.Sequence, $"the checkpoint of {checkpoint.At:yyyy-MM-dd HH:mm} UTC for entry #{checkpoint.Sequence} does not carry a valid signature of Segel's time-stamping key");
            }
            if (checkpoint.Sequence > entries)
            {
                return (entries + 1, $"entries #{entries + 1} to #{checkpoint.Sequence} were deleted: the checkpoint of {checkpoint.At:yyyy-MM-dd HH:mm} UTC vouches for entry #{checkpoint.Sequence}");
            }
            byte[]? mac = await db.AuditRecords.AsNoTracking().Where(a => a.Sequence == checkpoint.Sequence).Select(a => a.Mac).SingleAsync(cancellationToken);
            if (mac is null || !CryptographicOperations.FixedTimeEquals(mac, checkpoint.HeadMac))
            {
                return (checkpoint.Sequence, $"entry #{checkpoint.Sequence} is not the one the checkpoint of {checkpoint.At:yyyy-MM-dd HH:mm} UTC vouches for: the chain was rewritten");
            }
        }
        return (null, null);
    }

    private static bool VerifySignature(LoadedAuthority signer, AuditCheckpointRecord checkpoint) =>
        TsaSignatures.Verify(signer.Certificate, ToBeSigned(checkpoint), checkpoint.Signature);

    /// <summary>The exact bytes the time-stamping key signs for a checkpoint (exported, so auditors can check with openssl).</summary>
    internal static byte[] ToBeSigned(AuditCheckpointRecord checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        byte[] prefix = "segel-audit-checkpoint-v1"u8.ToArray();
        byte[] data = new byte[prefix.Length + 16 + checkpoint.HeadMac.Length];
        prefix.CopyTo(data, 0);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(prefix.Length), checkpoint.Sequence);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(prefix.Length + 8), checkpoint.At.ToUnixTimeMilliseconds());
        checkpoint.HeadMac.CopyTo(data, prefix.Length + 16);
        return data;
    }
}
