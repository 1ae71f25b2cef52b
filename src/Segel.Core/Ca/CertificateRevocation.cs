using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki;
using Segel.Pki.Revocation;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>
/// Revokes certificates. The update only matches a row that is not yet revoked, so two nodes revoking the
/// same certificate cannot both succeed, and nothing in Segel can clear a revocation (Pasal 17(3)).
/// </summary>
internal sealed class CertificateRevocation
{
    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;
    private readonly CrlPublisher _crls;
    private readonly CaEvents _events;
    private readonly TimeProvider _time;
    private readonly UpstreamCa? _upstream;

    public CertificateRevocation(SegelDatabase database, AuthorityRing ring, CrlPublisher crls, CaEvents events, TimeProvider time, UpstreamCa? upstream = null)
    {
        _upstream = upstream;
        _database = database;
        _ring = ring;
        _crls = crls;
        _events = events;
        _time = time;
    }

    public async Task<CertificateRecord> RevokeAsync(string serial, RevocationReason reason, Actor actor, string? issuerSlug = null,
        CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(reason))
        {
            throw SegelException.Invalid("reason", Localized.Of("Error.UnknownRevocationReasonUse2", RevocationReasons.AllowedNames));
        }
        CertificateRecord target = await CertificateQueries.FindOneAsync(_database, _ring, serial, issuerSlug, cancellationToken);
        LoadedAuthority issuer = await _ring.FindByIdAsync(target.IssuerId, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.CertificateIssuerNotKnownHere"));
        await using (SegelDbContext db = _database.CreateContext())
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await RevokeIntoAsync(db, target, issuer, reason, actor, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        await PublishAsync(issuer, target, cancellationToken);
        return target;
    }

    /// <summary>
    /// Revokes inside the caller's transaction (an RA decision and the revocation commit together). Call
    /// <see cref="PublishAsync"/> after the commit. Sets the revocation fields on <paramref name="target"/>.
    /// </summary>
    public async Task RevokeIntoAsync(SegelDbContext db, CertificateRecord target, LoadedAuthority issuer, RevocationReason reason, Actor actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(issuer);
        DateTimeOffset now = _time.GetUtcNow().ToWholeSeconds();
        if (!await MarkAsync(db, target, issuer, reason, actor, now, cancellationToken))
        {
            CertificateRecord current = await db.Certificates.AsNoTracking().SingleAsync(c => c.Id == target.Id, cancellationToken);
            throw SegelException.Conflict(
                Localized.Of("Error.CertificateAlreadyRevokedUtcRevocation", current.SerialHex, current.RevokedAt, ((RevocationReason)(current.RevocationReason ?? 0)).ToRfcName()));
        }
        // Issue 23.5: a holder's separate encryption certificate goes with the signing certificate it was issued with. Its key
        // is kept (KeyDestruction), so what was encrypted to it still opens.
        foreach (CertificateRecord paired in await db.Certificates.AsNoTracking().Where(c => c.PairedCertificateId == target.Id && c.RevokedAt == null)
                     .ToListAsync(cancellationToken))
        {
            LoadedAuthority pairedIssuer = paired.IssuerId == issuer.Id ? issuer : await _ring.FindByIdAsync(paired.IssuerId, cancellationToken) ?? issuer;
            await MarkAsync(db, paired, pairedIssuer, reason, actor, now, cancellationToken);
        }
        target.RevokedAt = now;
        target.RevocationReason = (int)reason;
    }

    /// <summary>One certificate's revocation, if it is not revoked yet: the row, its audit and transparency records, the directory and the status signal.</summary>
    private async Task<bool> MarkAsync(SegelDbContext db, CertificateRecord target, LoadedAuthority issuer, RevocationReason reason, Actor actor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        int changed = await db.Certificates
            .Where(c => c.Id == target.Id && c.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, now).SetProperty(c => c.RevocationReason, (int)reason), cancellationToken);
        if (changed == 0)
        {
            return false;
        }
        object details = target.PairedCertificateId is null
            ? new { issuer = issuer.Slug, reason = reason.ToRfcName(), subject = target.SubjectDn }
            : new { issuer = issuer.Slug, reason = reason.ToRfcName(), subject = target.SubjectDn, withSigningCertificate = true };
        AuditLog.Record(db, _time, actor, "certificate.revoked", target.SerialHex, details);
        TransparencyLeaves.RecordRevoked(db, target.SerialHex, target.Der, (int)reason, now);
        if (target.EmployeeId is { } employee)
        {
            DirectoryChangeRecord.Note(db, employee, now); // withdrawn from the LDAP directory once this commits
        }
        await _database.SignalStatusChangeAsync(db, issuer.Slug, cancellationToken);
        return true;
    }

    /// <summary>
    /// After a revocation committed: drop cached OCSP answers here and publish a new CRL at once; for a certificate of
    /// the upstream CA (issue 21.2), ask the upstream to revoke it (rr), whose OCSP and CRL relying parties ask.
    /// </summary>
    public async Task PublishAsync(LoadedAuthority issuer, CertificateRecord revoked, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(revoked);
        if (_upstream is not null && _upstream.Issues(issuer))
        {
            try
            {
                using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(revoked.Der);
                await _upstream.RevokeAsync(certificate, (RevocationReason)(revoked.RevocationReason ?? 0), cancellationToken);
            }
            catch (SegelException)
            {
                // Recorded here, it is final and Segel no longer uses it; the upstream status check sends the request
                // again until the upstream's own status says revoked (UpstreamStatus).
            }
            return;
        }
        if (!issuer.HasKey)
        {
            return; // an outside CA's certificate: nothing of Segel's to publish
        }
        _events.RaiseStatusChanged(issuer.Slug);
        try
        {
            await _crls.PublishAsync(issuer, unlessCurrent: true, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or TimeoutException)
        {
            // The revocation has committed and OCSP already answers "revoked"; the caller must not be told it failed.
            // The CRL job republishes within minutes: it compares the CRL's entry count with the revocations.
        }
    }
}
