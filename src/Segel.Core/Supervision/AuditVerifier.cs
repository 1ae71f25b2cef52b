using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Storage;

namespace Segel.Core.Supervision;

/// <summary>
/// The outcome of checking the audit chain: intact, or the first entry where it breaks and how; and, when the chain
/// holds, the rows whose state differs from what it records (changed, deleted or inserted behind Segel's back).
/// </summary>
public sealed record AuditVerification(long Entries, long? BrokenAt, string? Problem)
{
    /// <summary>One line per row the chain contradicts; empty when the tables agree with it.</summary>
    public IReadOnlyList<string> Differences { get; init; } = [];

    public bool Intact => BrokenAt is null && Differences.Count == 0;
}

/// <summary>
/// Walks the whole audit chain in order and recomputes every link. Reads in pages by sequence number, so a
/// million entries need no more memory than a thousand.
/// </summary>
internal sealed class AuditVerifier
{
    private const int PageSize = 5000;
    private readonly SegelDatabase _database;
    private readonly AuditChain _chain;
    private readonly AuditCheckpoints _checkpoints;

    internal AuditVerifier(SegelDatabase database, AuditChain chain, AuditCheckpoints checkpoints)
    {
        _database = database;
        _chain = chain;
        _checkpoints = checkpoints;
    }

    /// <summary>The chain link by link, then every signed checkpoint against it.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        AuditVerification chain = await VerifyChainAsync(cancellationToken);
        if (!chain.Intact)
        {
            return chain;
        }
        (long? brokenAt, string? problem) = await _checkpoints.CheckAsync(chain.Entries, cancellationToken);
        if (brokenAt is not null)
        {
            return new AuditVerification(chain.Entries, brokenAt, problem);
        }
        // The chain holds, so what it records is true; the tables must agree with it.
        await using SegelDbContext db = _database.CreateContext();
        return chain with
        {
            Differences = [.. await CertificateStateCheck.DifferencesAsync(db, cancellationToken), .. await RowSealCheck.DifferencesAsync(db, _chain, cancellationToken)],
        };
    }

    private async Task<AuditVerification> VerifyChainAsync(CancellationToken cancellationToken)
    {
        long expected = 1;
        byte[] previous = AuditChain.Genesis;
        await using SegelDbContext db = _database.CreateContext();
        using System.Security.Cryptography.IncrementalHash hmac = _chain.CreateHmac();
        while (true)
        {
            long from = expected - 1;
            List<AuditRecord> page = await db.AuditRecords.AsNoTracking()
                .Where(a => a.Sequence > from).OrderBy(a => a.Sequence).Take(PageSize)
                .ToListAsync(cancellationToken);
            foreach (AuditRecord record in page)
            {
                if (record.Sequence != expected)
                {
                    return new AuditVerification(expected - 1, expected,
                        $"entry #{expected} is missing (the next one is #{record.Sequence}): entries were deleted");
                }
                if (record.PreviousMac is null || !CryptographicOperations.FixedTimeEquals(record.PreviousMac, previous))
                {
                    return new AuditVerification(expected - 1, expected,
                        $"entry #{expected} does not follow entry #{expected - 1}: entries were inserted, deleted or reordered");
                }
                if (!AuditChain.Verify(record, hmac))
                {
                    return new AuditVerification(expected - 1, expected,
                        $"entry #{expected} ({record.Action} {record.Subject}) was altered after it was written, or written without Segel's key");
                }
                previous = record.Mac!;
                expected++;
            }
            if (page.Count < PageSize)
            {
                return new AuditVerification(expected - 1, null, null);
            }
        }
    }
}
