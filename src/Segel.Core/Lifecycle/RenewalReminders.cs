using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Kernel;
using Segel.Core.Notifications;
using Segel.Core.Storage;

namespace Segel.Core.Lifecycle;

/// <summary>
/// Reminds holders to renew (Pasal 18) on each configured day before expiry. A reminder is a row unique per
/// (certificate, day), written with its e-mail in one transaction: whichever node inserts it first sends it,
/// and every other node's insert fails on the constraint — once, however many nodes run the job. A holder
/// already renewed gets no more reminders; a day missed while every node was down is not sent late.
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
            double left = (certificate.NotAfter - now).TotalDays;
            int due = days.Where(d => left <= d).Min();
            await using SegelDbContext db = _context.Database.CreateContext();
            if (await db.Reminders.AnyAsync(r => r.CertificateId == certificate.Id && r.DaysBefore <= due, cancellationToken))
            {
                continue;
            }
            db.Reminders.Add(new ReminderRecord { CertificateId = certificate.Id, DaysBefore = due, At = now });
            _context.Outbox.Enqueue(db, MailMessages.Compose("CertificateExpiring", certificate.Email!, LifecycleContext.Language,
                certificate.CommonName, certificate.SerialHex, due, MailMessages.Date(certificate.NotAfter, LifecycleContext.Language), _context.Organization));
            AuditLog.Record(db, _context.Time, Actor.System, "certificate.renewal-reminder", certificate.SerialHex, new { daysBefore = due, to = certificate.Email });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                sent++;
            }
            catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
            {
                // Another node sent this reminder a moment ago.
            }
        }
        if (sent > 0)
        {
            _context.Outbox.NotifyQueued();
        }
        return sent;
    }
}
