using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;

using Segel.Texts;

namespace Segel.Core.Notifications;

/// <summary>
/// An integrity alarm by e-mail to every administrator whose account is linked to an employee (the register holds the
/// address). Only accounts and employee rows that pass their own seals are written to: whoever changed the database
/// must not be able to redirect the alarm to themselves.
/// </summary>
internal sealed class IntegrityAlarmMail(MailOutbox outbox, string organization) : ISealBreachNotice
{
    public async Task QueueAsync(SegelDbContext db, string kind, string key, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        AuditChain chain = db.AuditChain ?? throw new InvalidOperationException("This context has no audit key.");
        int admin = (int)Role.Admin;
        var admins = await (from u in db.Users.AsNoTracking()
                            join e in db.Employees.AsNoTracking() on u.EmployeeId equals e.Id
                            where !u.Disabled && (u.Roles & admin) != 0
                            select new { User = u, Employee = e }).ToListAsync(cancellationToken);
        var language = MailMessages.Indonesian; // notices are in Bahasa Indonesia, as every other
        string what = Localized.Word(kind, language);
        string refused = Localized.Word(action, language);
        foreach (string to in admins.Where(a => chain.RowIntact(a.User) && chain.RowIntact(a.Employee)).Select(a => a.Employee.Email)
            .Distinct(StringComparer.OrdinalIgnoreCase))
        {
            outbox.Enqueue(db, MailMessages.Compose("IntegrityAlarm", to, language, what, key, refused, organization));
        }
    }

    public void Queued() => outbox.NotifyQueued();
}
