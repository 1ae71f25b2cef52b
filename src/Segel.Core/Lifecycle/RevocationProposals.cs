using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Kernel;
using Segel.Core.Notifications;
using Segel.Core.Storage;
using Segel.Pki.Revocation;

namespace Segel.Core.Lifecycle;

/// <summary>A change a personnel import made that is a reason to revoke (Pasal 17(1)): who, from which agency, on which ground.</summary>
internal sealed record PersonnelChange(EmployeeRecord Employee, int FormerAgencyId, RevocationGround Ground);

/// <summary>
/// HR changes start the regulation's procedure instead of changing a record silently (issue 20.3): when a personnel import
/// moves an employee to another agency, or marks them retired, deceased or dismissed, every certificate of theirs still
/// valid gets a revocation request in the state <see cref="RevocationRequestState.Proposed"/>, with the ground already
/// chosen, for the former agency's head — who sends it on with the signed letter Pasal 17(2) asks for — and the RA, who
/// decides as always (or rejects a proposal the file got wrong). Nothing is revoked here. The holder and the former
/// agency's heads are e-mailed.
/// </summary>
internal sealed class RevocationProposals(LifecycleContext context)
{
    /// <summary>In the import's unit of work: the proposals for <paramref name="changes"/>; returns how many were opened.</summary>
    public async Task<int> ProposeIntoAsync(SegelDbContext db, IReadOnlyList<PersonnelChange> changes, Actor actor, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return 0;
        }
        DateTimeOffset now = context.Time.GetUtcNow();
        HashSet<long> ids = changes.Select(c => c.Employee.Id).ToHashSet();
        List<CertificateRecord> valid = (await db.Certificates.AsNoTracking()
            // An encryption certificate is not proposed on its own: it goes with its signing certificate (CertificateRevocation).
            .Where(c => c.EmployeeId != null && c.PairedCertificateId == null && c.RevokedAt == null && c.NotAfter > now).ToListAsync(cancellationToken))
            .Where(c => ids.Contains(c.EmployeeId!.Value)).ToList();
        HashSet<long> open = (await db.RevocationRequests.AsNoTracking()
            .Where(r => r.State == RevocationRequestState.Pending || r.State == RevocationRequestState.Proposed)
            .Select(r => r.CertificateId).ToListAsync(cancellationToken)).ToHashSet();
        var opened = new List<(RevocationRequestRecord Request, CertificateRecord Certificate, PersonnelChange Change)>();
        foreach (PersonnelChange change in changes)
        {
            foreach (CertificateRecord certificate in valid.Where(c => c.EmployeeId == change.Employee.Id && !open.Contains(c.Id)))
            {
                var request = new RevocationRequestRecord
                {
                    CertificateId = certificate.Id,
                    EmployeeId = change.Employee.Id,
                    AgencyId = change.FormerAgencyId,
                    Reason = (int)change.Ground.Reason(),
                    Ground = (int)change.Ground,
                    RequestedBy = actor.Name,
                    CreatedAt = now,
                };
                RevocationRequestFlow.Start(request, RevocationRequestState.Proposed);
                db.RevocationRequests.Add(request);
                opened.Add((request, certificate, change));
            }
        }
        if (opened.Count == 0)
        {
            return 0;
        }
        await db.SaveChangesAsync(cancellationToken);
        Dictionary<int, List<string>> heads = await LifecycleContext.HeadAddressesAsync(db, opened.Select(o => o.Change.FormerAgencyId).ToHashSet(), cancellationToken);
        foreach ((RevocationRequestRecord request, CertificateRecord certificate, PersonnelChange change) in opened)
        {
            AuditLog.Record(db, context.Time, actor, "revocation.proposed", $"revocation-request:{request.Id}",
                new { certificate = certificate.SerialHex, employee = change.Employee.Nip, ground = change.Ground.ToName(), reason = change.Ground.Reason().ToRfcName() });
            string ground = MailMessages.Text("Ground." + change.Ground.ToName(), LifecycleContext.Language);
            string link = $"{context.Options.PublicBaseUrl.TrimEnd('/')}/pencabutan/{request.Id}";
            context.Outbox.Enqueue(db, MailMessages.Compose("RevocationProposed", change.Employee.Email, LifecycleContext.Language,
                change.Employee.Name, certificate.SerialHex, ground, context.Organization));
            foreach (string head in heads.GetValueOrDefault(change.FormerAgencyId) ?? [])
            {
                context.Outbox.Enqueue(db, MailMessages.Compose("RevocationProposedHead", head, LifecycleContext.Language,
                    change.Employee.Name, certificate.SerialHex, ground, context.Organization, link));
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return opened.Count;
    }
}
