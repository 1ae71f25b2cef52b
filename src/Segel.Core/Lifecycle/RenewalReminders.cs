using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Kernel;
using Segel.Core.Notifications;
using Segel.Core.Storage;
using Segel.Pki.Certificates;

namespace Segel.Core.Lifecycle;

/// <summary>
/// Reminds holders to renew (Pasal 18) on each configured day before expiry. A reminder is a row unique per
/// (certificate, day), written with its e-mail in one transaction: whichever node inserts it first sends it,
/// and every other node's insert fails on the constraint — once, however many nodes run the job. A holder
/// already renewed gets no more reminders; a day missed while every node was down is not sent late. Institutional seals'
/// certificates are reminded of to their agency's heads.
/// </summary>
public sealed class RenewalReminders
{
    private readonly LifecycleContext _context;

    internal RenewalReminders(LifecycleContext context) => _context = context;

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<int> days = (await _context.Settings.GetAsync(cancellationToken)).ReminderDays;
        DateTimeOffset now = _context.Time.GetUtcNow();
        DateTimeOffset horizon = now.AddDays(days.Max());
        List<CertificateRecord> expiring;
        await using (SegelDbContext db = _context.Database.CreateContext())
        {
            string[] people = ["subscriber", "ra-officer"];
            expiring = await db.Certificates.AsNoTracking()
                .Where(c => c.RevokedAt == null && c.NotAfter > now && c.NotAfter <= horizon && c.Email != null && people.Contains(c.Profile))
                // Renewed: the same employee has a later valid certificate.
                .Where(c => c.EmployeeId == null || !db.Certificates.Any(n => n.EmployeeId == c.EmployeeId && n.Id != c.Id && n.RevokedAt == null && n.NotAfter > c.NotAfter))
                .ToListAsync(cancellationToken);
        }
        int sent = 0;
        foreach (CertificateRecord certificate in expiring)
        {
            sent += await RemindOnceAsync(certificate, days, now, (db, due) =>
            {
                _context.Outbox.Enqueue(db, MailMessages.Compose("CertificateExpiring", certificate.Email!, LifecycleContext.Language,
                    certificate.CommonName, certificate.SerialHex, due, MailMessages.Date(certificate.NotAfter, LifecycleContext.Language), _context.Organization));
                AuditLog.Record(db, _context.Time, Actor.System, "certificate.renewal-reminder", certificate.SerialHex, new { daysBefore = due, to = certificate.Email });
                return 1;
            }, cancellationToken);
        }
        sent += await RemindOfSealsAsync(days, now, horizon, cancellationToken);
        if (sent > 0)
        {
            _context.Outbox.NotifyQueued();
        }
        return sent;
    }

    /// <summary>
    /// An institutional seal (issue 23.2) nearing its end: the agency's heads hear it, since the application using it stops
    /// sealing on that day unless they apply again under the same name. Once per (certificate, day), as for a person.
    /// </summary>
    private async Task<int> RemindOfSealsAsync(IReadOnlyList<int> days, DateTimeOffset now, DateTimeOffset horizon, CancellationToken cancellationToken)
    {
        string profile = CertificateProfile.Seal.ToName();
        List<(InstitutionalSealRecord Seal, CertificateRecord Certificate, string Agency)> expiring;
        Dictionary<int, List<string>> heads;
        await using (SegelDbContext db = _context.Database.CreateContext())
        {
            var rows = await (from s in db.InstitutionalSeals.AsNoTracking()
                              join c in db.Certificates.AsNoTracking() on s.CertificateId equals c.Id
                              join a in db.Agencies.AsNoTracking() on s.AgencyId equals a.Id
                              where c.Profile == profile && c.RevokedAt == null && c.NotAfter > now && c.NotAfter <= horizon &&
                                  // Renewed: a seal of the same name and agency has a later valid certificate.
                                  !(from n in db.InstitutionalSeals
                                    join nc in db.Certificates on n.CertificateId equals nc.Id
                                    where n.AgencyId == s.AgencyId && n.Name == s.Name && n.Id != s.Id && nc.RevokedAt == null && nc.NotAfter > c.NotAfter
                                    select n.Id).Any()
                              select new { Seal = s, Certificate = c, Agency = a.Name }).ToListAsync(cancellationToken);
            expiring = [.. rows.Select(r => (r.Seal, r.Certificate, r.Agency))];
            heads = await LifecycleContext.HeadAddressesAsync(db, [.. expiring.Select(e => e.Seal.AgencyId)], cancellationToken);
        }
        int sent = 0;
        string baseUrl = _context.Options.PublicBaseUrl.TrimEnd('/');
        foreach ((InstitutionalSealRecord seal, CertificateRecord certificate, string agency) in expiring)
        {
            List<string> to = heads.GetValueOrDefault(seal.AgencyId) ?? [];
            sent += await RemindOnceAsync(certificate, days, now, (db, due) =>
            {
                foreach (string head in to)
                {
                    _context.Outbox.Enqueue(db, MailMessages.Compose("SealExpiring", head, LifecycleContext.Language, seal.Name, agency, certificate.SerialHex, due,
                        MailMessages.Date(certificate.NotAfter, LifecycleContext.Language), baseUrl, _context.Organization));
                }
                AuditLog.Record(db, _context.Time, Actor.System, "seal.renewal-reminder", certificate.SerialHex, new { seal = seal.Id, daysBefore = due, to });
                return to.Count;
            }, cancellationToken);
        }
        return sent;
    }

    /// <summary>
    /// The reminder due now for a certificate, unless it (or a later one) was sent: the row and what <paramref name="queue"/>
    /// adds (mail, audit) in one transaction, so of several nodes one sends it. Returns how many messages went.
    /// </summary>
    private async Task<int> RemindOnceAsync(CertificateRecord certificate, IReadOnlyList<int> days, DateTimeOffset now, Func<SegelDbContext, int, int> queue,
        CancellationToken cancellationToken)
    {
        double left = (certificate.NotAfter - now).TotalDays;
        int due = days.Where(d => left <= d).Min();
        await using SegelDbContext db = _context.Database.CreateContext();
        if (await db.Reminders.AnyAsync(r => r.CertificateId == certificate.Id && r.DaysBefore <= due, cancellationToken))
        {
            return 0;
        }
        db.Reminders.Add(new ReminderRecord { CertificateId = certificate.Id, DaysBefore = due, At = now });
        int messages = queue(db, due);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return messages;
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            return 0; // another node sent this reminder a moment ago
        }
    }
}
