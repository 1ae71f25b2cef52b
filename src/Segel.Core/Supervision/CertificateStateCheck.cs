using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Storage;

namespace Segel.Core.Supervision;

/// <summary>
/// The certificates' state as the audit chain tells it, compared with the certificates table (issue 17's first
/// attack: clearing a revocation in the database). The chain is MAC'd and checkpointed, the table is not; so a holder's
/// certificate the chain records as revoked must be revoked in the table with the same reason, a revocation in the table
/// needs its record in the chain, and a holder's certificate the chain records as issued must still be there.
/// Service certificates (the CA's own, OCSP, TSA) are recorded with their authority, not here, and are left out.
/// </summary>
internal static class CertificateStateCheck
{
    /// <summary>Certificates issued through the RA: people's, their separate encryption certificates (issue 23.5) and institutions' seals (23.2).</summary>
    private static readonly string[] HolderProfiles = ["subscriber", "ra-officer", "encryption", "seal"];
    private const int MaxListed = 100;

    public static async Task<IReadOnlyList<string>> DifferencesAsync(SegelDbContext db, CancellationToken cancellationToken)
    {
        Dictionary<int, string> slugs = await db.Authorities.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Slug, cancellationToken);
        var rows = (await db.Certificates.AsNoTracking()
                .Select(c => new { c.IssuerId, c.SerialHex, c.Profile, c.RevokedAt, c.RevocationReason })
                .ToListAsync(cancellationToken))
            .ToDictionary(c => (slugs.GetValueOrDefault(c.IssuerId, "?"), c.SerialHex));

        var issued = new HashSet<(string Issuer, string Serial)>();
        var revoked = new Dictionary<(string Issuer, string Serial), string?>();
        var records = db.AuditRecords.AsNoTracking()
            .Where(a => a.Action == "certificate.issued" || a.Action == "certificate.revoked" || a.Action == "certificate.revoked-from-crl")
            .OrderBy(a => a.Sequence)
            .Select(a => new { a.Action, a.Subject, a.Details })
            .AsAsyncEnumerable();
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            (string? issuer, string? reason) = Read(record.Details);
            var key = (issuer ?? "?", record.Subject);
            if (record.Action == "certificate.issued")
            {
                issued.Add(key);
            }
            else
            {
                revoked[key] = reason;
            }
        }

        var differences = new List<string>();
        foreach (((string issuer, string serial), string? reason) in revoked)
        {
            if (!rows.TryGetValue((issuer, serial), out var row))
            {
                differences.Add($"certificate {serial} ({issuer}): the audit record says revoked ({reason}), but the row is gone");
            }
            else if (row.RevokedAt is null)
            {
                differences.Add($"certificate {serial} ({issuer}): the audit record says revoked ({reason}), the table says not revoked");
            }
            else if (reason is not null && row.RevocationReason is int code && Pki.Revocation.RevocationReasons.ToRfcName((Pki.Revocation.RevocationReason)code) != reason)
            {
                differences.Add($"certificate {serial} ({issuer}): the audit record says revoked for {reason}, the table says {Pki.Revocation.RevocationReasons.ToRfcName((Pki.Revocation.RevocationReason)code)}");
            }
        }
        foreach ((string issuer, string serial) in issued.Where(k => !rows.ContainsKey(k)))
        {
            differences.Add($"certificate {serial} ({issuer}): the audit record says issued, but the row is gone");
        }
        foreach (var ((issuer, serial), row) in rows.Where(r => HolderProfiles.Contains(r.Value.Profile)))
        {
            if (!issued.Contains((issuer, serial)))
            {
                differences.Add($"certificate {serial} ({issuer}): in the table, but the audit record has no issuance of it");
            }
            else if (row.RevokedAt is not null && !revoked.ContainsKey((issuer, serial)))
            {
                differences.Add($"certificate {serial} ({issuer}): revoked in the table, but the audit record has no revocation of it");
            }
        }
        return differences.Count <= MaxListed ? differences : [.. differences.Take(MaxListed), $"… and {differences.Count - MaxListed} more"];
    }

    private static (string? Issuer, string? Reason) Read(string? details)
    {
        if (string.IsNullOrEmpty(details))
        {
            return (null, null);
        }
        try
        {
            using JsonDocument json = JsonDocument.Parse(details);
            JsonElement root = json.RootElement;
            return (root.TryGetProperty("issuer", out JsonElement i) ? i.GetString() : null, root.TryGetProperty("reason", out JsonElement r) ? r.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
