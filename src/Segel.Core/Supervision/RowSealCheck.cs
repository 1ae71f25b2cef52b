using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Storage;

namespace Segel.Core.Supervision;

/// <summary>
/// The sealed tables checked row by row: a row whose seal does not match was changed behind Segel's back, a row
/// with none was inserted behind it. What the audit chain saw created but a table no longer holds was deleted:
/// employees, accounts, settings, applications, revocation requests, signatures and agencies each have a record of
/// their creation, and the RA's decisions one of each decision taken. One line per row, named as a reader knows it.
/// </summary>
internal static class RowSealCheck
{
    public static async Task<IReadOnlyList<string>> DifferencesAsync(SegelDbContext db, AuditChain chain, CancellationToken cancellationToken)
    {
        var differences = new List<string>();
        HashSet<string> nips = await CheckAsync(db.Employees, chain, differences, cancellationToken);
        HashSet<string> usernames = await CheckAsync(db.Users, chain, differences, cancellationToken);
        HashSet<string> settings = await CheckAsync(db.Settings, chain, differences, cancellationToken);
        HashSet<string> applications = await CheckAsync(db.Enrollments, chain, differences, cancellationToken);
        HashSet<string> requests = await CheckAsync(db.RevocationRequests, chain, differences, cancellationToken);
        HashSet<string> keys = await CheckAsync(db.HolderKeys, chain, differences, cancellationToken);
        HashSet<string> signatures = await CheckAsync(db.Signatures, chain, differences, cancellationToken);
        HashSet<string> agencies = await CheckAsync(db.Agencies, chain, differences, cancellationToken);
        await CheckAsync(db.WorkUnits, chain, differences, cancellationToken);
        await CheckAsync(db.Decisions, chain, differences, cancellationToken);
        await CheckAsync(db.Invitations, chain, differences, cancellationToken);
        HashSet<string> recoveryKeys = await CheckAsync(db.RecoveryKeys, chain, differences, cancellationToken);
        await CheckAsync(db.RecoveryShares, chain, differences, cancellationToken);
        HashSet<string> seals = await CheckAsync(db.InstitutionalSeals, chain, differences, cancellationToken);

        // None of these is ever deleted by Segel; the chain says which were created (and under which subject).
        await GoneAsync(db, "employee.created", "", "employee", nips, differences, cancellationToken);
        await GoneAsync(db, "user.created", "", "user", usernames, differences, cancellationToken);
        await GoneAsync(db, "settings.changed", "", "setting", settings, differences, cancellationToken);
        await GoneAsync(db, "enrollment.created", "enrollment:", "application", applications, differences, cancellationToken);
        await GoneAsync(db, "revocation.requested", "revocation-request:", "revocation-request", requests, differences, cancellationToken);
        await GoneAsync(db, "signature.created", "signature:", "signature", signatures, differences, cancellationToken);
        await GoneAsync(db, "agency.created", "", "agency", agencies, differences, cancellationToken);
        await GoneAsync(db, "key-recovery.set-up", "recovery-key:", "recovery-key", recoveryKeys, differences, cancellationToken);
        await GoneAsync(db, "seal.applied", "seal:", "institutional-seal", seals, differences, cancellationToken);
        differences.AddRange(await MissingKeysAsync(db, keys, cancellationToken));
        differences.AddRange(await MissingDecisionsAsync(db, cancellationToken));
        if (await RestoreMarkerGoneAsync(db, settings, cancellationToken))
        {
            differences.Add($"setting {Restoration.SettingKey}: the record shows a restore not yet completed, but the row is gone (deleted behind Segel's back)");
        }
        return differences;
    }

    /// <summary>Checks every row's seal and returns the keys the table holds.</summary>
    private static async Task<HashSet<string>> CheckAsync<T>(DbSet<T> table, AuditChain chain, List<string> differences, CancellationToken cancellationToken)
        where T : class, ISealedRow
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (T row in table.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            keys.Add(row.SealKey);
            if (row.Seal is null)
            {
                differences.Add($"{row.Subject()}: a row without a seal (inserted behind Segel's back)");
            }
            else if (!chain.RowIntact(row))
            {
                differences.Add($"{row.Subject()}: the row no longer matches its seal (changed behind Segel's back)");
            }
        }
        return keys;
    }

    private static async Task GoneAsync(SegelDbContext db, string action, string prefix, string kind, HashSet<string> present, List<string> differences,
        CancellationToken cancellationToken)
    {
        List<string> subjects = await db.AuditRecords.AsNoTracking().Where(a => a.Action == action).Select(a => a.Subject).Distinct().ToListAsync(cancellationToken);
        differences.AddRange(subjects.Where(s => s.StartsWith(prefix, StringComparison.Ordinal)).Select(s => s[prefix.Length..])
            .Where(key => !present.Contains(key)).Order(StringComparer.Ordinal)
            .Select(key => $"{kind} {key}: the record shows it created, but the row is gone (deleted behind Segel's back)"));
    }

    /// <summary>A key an application names that the table no longer holds.</summary>
    private static async Task<IEnumerable<string>> MissingKeysAsync(SegelDbContext db, HashSet<string> keys, CancellationToken cancellationToken)
    {
        List<long> named = await db.Enrollments.AsNoTracking().Where(e => e.HolderKeyId != null).Select(e => e.HolderKeyId!.Value).Distinct().ToListAsync(cancellationToken);
        return named.Where(id => !keys.Contains(id.ToString(CultureInfo.InvariantCulture))).Order()
            .Select(id => $"holder-key {id}: an application names it, but the row is gone (deleted behind Segel's back)");
    }

    /// <summary>Each decision the chain recorded left a signed decision row on that application or request.</summary>
    private static async Task<IEnumerable<string>> MissingDecisionsAsync(SegelDbContext db, CancellationToken cancellationToken)
    {
        string[] decided = ["enrollment.approved", "enrollment.rejected", "revocation.decided", "revocation.rejected", "seal.approved", "seal.rejected"];
        Dictionary<string, int> recorded = (await db.AuditRecords.AsNoTracking().Where(a => decided.Contains(a.Action)).Select(a => a.Subject).ToListAsync(cancellationToken))
            .GroupBy(s => s, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var rows = (await db.Decisions.AsNoTracking().Select(d => new { d.SubjectType, d.SubjectId }).ToListAsync(cancellationToken))
            .GroupBy(d => $"{d.SubjectType}:{d.SubjectId.ToString(CultureInfo.InvariantCulture)}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return recorded.Where(r => rows.GetValueOrDefault(r.Key) < r.Value).OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => $"{r.Key}: the record shows {r.Value} decisions, but {rows.GetValueOrDefault(r.Key)} decision rows remain (deleted behind Segel's back)");
    }

    /// <summary>A restore marked and not completed keeps its marker, which holds issuance until the CRLs are applied.</summary>
    private static async Task<bool> RestoreMarkerGoneAsync(SegelDbContext db, HashSet<string> settings, CancellationToken cancellationToken)
    {
        string? last = await db.AuditRecords.AsNoTracking().Where(a => a.Action == "ca.restored" || a.Action == "ca.restore-completed")
            .OrderByDescending(a => a.Sequence).Select(a => a.Action).FirstOrDefaultAsync(cancellationToken);
        return last == "ca.restored" && !settings.Contains(Restoration.SettingKey);
    }
}
