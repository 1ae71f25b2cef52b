using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Supervision;

/// <summary>
/// What the audit record is asked for: <see cref="Action"/> a prefix of action codes; <see cref="Text"/> words looked
/// for in the action code, actor, subject and details; <see cref="Actions"/> exact codes that match as well (an
/// adapter turns the words a reader sees into the codes they name); <see cref="From"/> (inclusive) and
/// <see cref="To"/> (exclusive) a time range.
/// </summary>
public sealed record AuditQuery(string? Action = null, string? Actor = null, string? Subject = null, string? Text = null,
    IReadOnlyCollection<string>? Actions = null, DateTimeOffset? From = null, DateTimeOffset? To = null, long? AfterSequence = null, int? Offset = null, int? Limit = null,
    long? BeforeSequence = null, string? RequestId = null);

/// <summary>One audit entry as readers see it; <see cref="RequestId"/> is the id the request's log lines carry.</summary>
public sealed record AuditEntryView(long Sequence, DateTimeOffset At, string Actor, string? Origin, string Action, string Subject, string? Details, string Mac,
    string? RequestId = null);

/// <summary>
/// A signed checkpoint as auditors take it away: the signed bytes, the signature and the signer's certificate,
/// so that `openssl dgst -verify` checks it without Segel, and a later `segel audit verify --checkpoints FILE`
/// catches a record cut back together with its checkpoints.
/// </summary>
public sealed record ExportedCheckpoint(long Sequence, DateTimeOffset At, string HeadMac, string SignedData, string Signature, string Algorithm, string SignerCertificate);

/// <summary>Reading the audit record (Pasal 21): administrators and auditors only.</summary>
public sealed class AuditQueries
{
    private readonly SegelDatabase _database;
    private readonly AuditVerifier _verifier;
    private readonly AuthorityRing _ring;

    internal AuditQueries(SegelDatabase database, AuditVerifier verifier, AuthorityRing ring)
    {
        _database = database;
        _verifier = verifier;
        _ring = ring;
    }

    private static void RequireReader(Principal by)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.Auditor, "read-the-audit-record");
    }

    public Task<Page<AuditEntryView>> ListAsync(string? action, string? actor, string? subject, long? afterSequence, int? offset, int? limit, Principal by,
        CancellationToken cancellationToken = default) =>
        ListAsync(new AuditQuery(action, actor, subject, AfterSequence: afterSequence, Offset: offset, Limit: limit), by, cancellationToken);

    /// <summary>The record, newest first, narrowed by every filter given (see <see cref="AuditQuery"/>).</summary>
    public async Task<Page<AuditEntryView>> ListAsync(AuditQuery filter, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        RequireReader(by);
        (int o, int l) = Paging.Check(filter.Offset, filter.Limit);
        (string? action, string? actor, string? subject, long? afterSequence) = (filter.Action, filter.Actor, filter.Subject, filter.AfterSequence);
        if (filter.From is { } from && filter.To is { } to && to <= from)
        {
            throw SegelException.Invalid("to", Localized.Of("Error.EndDateRangeBeforeStart"));
        }
        await using SegelDbContext db = _database.CreateContext();
        IQueryable<AuditRecord> query = db.AuditRecords.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Text) || filter.Actions is { Count: > 0 })
        {
            // Words as the reader sees them: the caller has turned them into the actions whose names contain them;
            // the text itself is looked for in who, what and the details.
            string text = (filter.Text ?? "").Trim();
            List<string> actions = [.. filter.Actions ?? []];
            query = query.Where(a => actions.Contains(a.Action)
                || (text != "" && (a.Action.Contains(text) || a.Actor.Contains(text) || a.Subject.Contains(text) || (a.Details != null && a.Details.Contains(text))
                    || a.RequestId == text)));
        }
        if (filter.From is { } since)
        {
            DateTimeOffset start = since.ToUniversalTime();
            query = query.Where(a => a.At >= start);
        }
        if (filter.To is { } until)
        {
            DateTimeOffset end = until.ToUniversalTime();
            query = query.Where(a => a.At < end);
        }
        if (!string.IsNullOrWhiteSpace(action))
        {
            string prefix = action.Trim();
            query = query.Where(a => a.Action.StartsWith(prefix));
        }
        if (!string.IsNullOrWhiteSpace(actor))
        {
            string who = actor.Trim();
            query = query.Where(a => a.Actor == who);
        }
        if (!string.IsNullOrWhiteSpace(subject))
        {
            string what = subject.Trim();
            query = query.Where(a => a.Subject == what);
        }
        if (!string.IsNullOrWhiteSpace(filter.RequestId))
        {
            string request = filter.RequestId.Trim();
            query = query.Where(a => a.RequestId == request);
        }
        if (afterSequence is long after)
        {
            query = query.Where(a => a.Sequence > after);
        }
        if (filter.BeforeSequence is long before)
        {
            query = query.Where(a => a.Sequence < before);
        }
        List<AuditRecord> rows = await query.OrderByDescending(a => a.Sequence).Skip(o).Take(l).ToListAsync(cancellationToken);
        int total = await Paging.TotalAsync(query, o, l, rows.Count, cancellationToken);
        return new Page<AuditEntryView>(rows.Select(a => new AuditEntryView(a.Sequence, a.At, a.Actor, a.Origin, a.Action, a.Subject, a.Details,
            Convert.ToHexString(a.Mac ?? []), a.RequestId)).ToList(), total, o, l);
    }

    public Task<AuditVerification> VerifyAsync(Principal by, CancellationToken cancellationToken = default)
    {
        RequireReader(by);
        return _verifier.VerifyAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ExportedCheckpoint>> ExportCheckpointsAsync(Principal by, CancellationToken cancellationToken = default)
    {
        RequireReader(by);
        await using SegelDbContext db = _database.CreateContext();
        List<AuditCheckpointRecord> checkpoints = await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
        var result = new List<ExportedCheckpoint>(checkpoints.Count);
        foreach (AuditCheckpointRecord c in checkpoints)
        {
            LoadedAuthority? signer = await _ring.FindByIdAsync(c.AuthorityId, cancellationToken);
            result.Add(new ExportedCheckpoint(c.Sequence, c.At, Convert.ToHexString(c.HeadMac), Convert.ToBase64String(AuditCheckpoints.ToBeSigned(c)),
                Convert.ToBase64String(c.Signature), signer?.Record.KeyAlgorithm ?? "?", signer?.Certificate.ExportCertificatePem() ?? ""));
        }
        return result;
    }

    /// <summary>
    /// Compares checkpoints exported earlier with the record as it is now: each must still match an entry with
    /// the same MAC. Returns the first sequence that does not, with the reason, or (null, null).
    /// </summary>
    public async Task<(long? BrokenAt, string? Problem)> CheckExportedAsync(IEnumerable<ExportedCheckpoint> exported, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exported);
        await using SegelDbContext db = _database.CreateContext();
        foreach (ExportedCheckpoint checkpoint in exported.OrderBy(c => c.Sequence))
        {
            byte[]? mac = await db.AuditRecords.AsNoTracking().Where(a => a.Sequence == checkpoint.Sequence).Select(a => a.Mac).SingleOrDefaultAsync(cancellationToken);
            if (mac is null)
            {
                return (checkpoint.Sequence, $"entry #{checkpoint.Sequence}, vouched for by the exported checkpoint of {checkpoint.At:yyyy-MM-dd HH:mm} UTC, is gone: the record was cut back");
            }
            if (!CryptographicOperations.FixedTimeEquals(mac, Convert.FromHexString(checkpoint.HeadMac)))
            {
                return (checkpoint.Sequence, $"entry #{checkpoint.Sequence} is not the one the exported checkpoint of {checkpoint.At:yyyy-MM-dd HH:mm} UTC vouches for: the chain was rewritten");
            }
        }
        return (null, null);
    }
}
