using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Revocation;
using Segel.Pki.Validation;

namespace Segel.Core.Ca;

/// <summary>What the last round could not do: how many certificates' status or revocation the upstream at <paramref name="Url"/> left unanswered.</summary>
public sealed record UpstreamProblem(string Url, int Unanswered);

/// <summary>What one round of <see cref="UpstreamStatus.CheckAsync"/> did.</summary>
public sealed record UpstreamStatusRound(int Checked, int RecordedRevoked, int RevocationsSent, int Unknown);

/// <summary>
/// Keeps Segel's record of the upstream CA's certificates (issue 21.2) in step with the upstream's own status, which is
/// what relying parties see: a certificate the upstream revoked (its operator did, or it never heard Segel's
/// confirmation) is recorded revoked here, so custody signing stops; one revoked here that the upstream still calls good
/// (its revocation request was lost) is asked to be revoked again. Status comes from the upstream's OCSP responder,
/// else its CRL, each believed only when signed for the issuer (<see cref="RevocationChecker"/>).
/// </summary>
public sealed class UpstreamStatus
{
    private const int PageSize = 500;
    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;
    private readonly UpstreamCa? _upstream;
    private readonly CertificateRevocation _revocation;
    private readonly IRevocationSource _online;
    private readonly TimeProvider _time;

    internal UpstreamStatus(SegelDatabase database, AuthorityRing ring, UpstreamCa? upstream, CertificateRevocation revocation, TimeProvider time,
        IRevocationSource? online = null)
    {
        _database = database;
        _ring = ring;
        _upstream = upstream;
        _revocation = revocation;
        _time = time;
        _online = online ?? new HttpRevocationSource(LocalRevocation.OutsideHttp);
    }

    /// <summary>The upstream CA's CMP endpoint when holders' certificates come from one; null when Segel's own CA issues them.</summary>
    public string? UpstreamUrl => _upstream?.Url;

    /// <summary>Set when the last round left statuses or revocations unanswered; null when all were answered (or no round ran).</summary>
    public UpstreamProblem? LastProblem { get; private set; }

    /// <summary>Checks every unexpired certificate of the upstream's CAs once; nothing when no upstream is configured.</summary>
    public async Task<UpstreamStatusRound> CheckAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "check-the-upstream-cas-certificate-status");
        if (_upstream is null)
        {
            return new UpstreamStatusRound(0, 0, 0, 0);
        }
        List<LoadedAuthority> issuers = [.. (await _ring.GetAllAsync(cancellationToken)).Where(_upstream.Issues)];
        if (issuers.Count == 0)
        {
            return new UpstreamStatusRound(0, 0, 0, 0);
        }
        int[] ids = [.. issuers.Select(i => i.Id)];
        DateTimeOffset now = _time.GetUtcNow();
        int seen = 0, recorded = 0, sent = 0, unknown = 0;
        long after = 0;
        while (true)
        {
            // A page at a time, in id order: memory stays flat however many certificates the upstream has issued.
            List<CertificateRecord> page;
            await using (SegelDbContext db = _database.CreateContext())
            {
                page = await db.Certificates.AsNoTracking().Where(c => ids.Contains(c.IssuerId) && c.NotAfter > now && c.Id > after)
                    .OrderBy(c => c.Id).Take(PageSize).ToListAsync(cancellationToken);
            }
            if (page.Count == 0)
            {
                break;
            }
            after = page[^1].Id;
            seen += page.Count;
            foreach (CertificateRecord record in page)
            {
                LoadedAuthority issuer = issuers.First(i => i.Id == record.IssuerId);
                using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(record.Der);
                RevocationStatus? status = await StatusAsync(certificate, issuer.Certificate, now, cancellationToken);
                if (status is null)
                {
                    unknown++;
                }
                else if (status.State == RevocationState.Revoked && record.RevokedAt is null)
                {
                    recorded += await RecordAsync(record, issuer, by, cancellationToken) ? 1 : 0;
                }
                else if (status.State == RevocationState.Good && record.RevokedAt is not null)
                {
                    try
                    {
                        await _upstream.RevokeAsync(certificate, (RevocationReason)(record.RevocationReason ?? 0), cancellationToken);
                        sent++;
                    }
                    catch (SegelException)
                    {
                        unknown++; // asked again next round
                    }
                }
            }
        }
        LastProblem = unknown > 0 ? new UpstreamProblem(_upstream.Url, unknown) : null;
        return new UpstreamStatusRound(seen, recorded, sent, unknown);
    }

    private async Task<RevocationStatus?> StatusAsync(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await _online.FetchOcspAsync(certificate, issuer, cancellationToken) is { } ocsp
            && RevocationChecker.Check(certificate, issuer, [ocsp], [], now) is { } answered)
        {
            return answered;
        }
        return await _online.FetchCrlAsync(certificate, issuer, cancellationToken) is { } crl
            ? RevocationChecker.Check(certificate, issuer, [], [crl], now)
            : null;
    }

    /// <summary>Records the upstream's revocation here, once: the same conditional update as any revocation.</summary>
    private async Task<bool> RecordAsync(CertificateRecord record, LoadedAuthority issuer, Principal by, CancellationToken cancellationToken)
    {
        try
        {
            await using SegelDbContext db = _database.CreateContext();
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            await _revocation.RevokeIntoAsync(db, record, issuer, RevocationReason.Unspecified, by.ToActor("upstream"), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return true;
        }
        catch (SegelException e) when (e.Kind == ErrorKind.Conflict)
        {
            return false; // revoked here meanwhile
        }
    }
}
