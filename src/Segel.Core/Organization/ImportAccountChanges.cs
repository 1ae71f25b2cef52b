using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Audit;
using Segel.Core.Kernel;
using Segel.Core.Storage;

namespace Segel.Core.Organization;

/// <summary>
/// What a personnel import changes on existing accounts, in its transaction: agency heads as the file's agency_head column
/// names them, and the accounts of people who left a complete file. Rows are changed through tracked entities, so their
/// seals are renewed; every change gets its audit record, as if an administrator had made it by hand.
/// </summary>
internal static class ImportAccountChanges
{
    /// <summary>Makes the accounts of <paramref name="employees"/> agency heads of their agency, or no longer heads, as the file says.</summary>
    public static async Task<int> DesignateHeadsAsync(SegelDbContext db, IReadOnlyList<(EmployeeRecord Employee, bool Head)> employees, Actor actor,
        TimeProvider time, CancellationToken cancellationToken)
    {
        HashSet<long> ids = employees.Select(e => e.Employee.Id).ToHashSet();
        Dictionary<long, UserRecord> accounts = (await db.Users.Where(u => u.EmployeeId != null).ToListAsync(cancellationToken))
            .Where(u => ids.Contains(u.EmployeeId!.Value)).ToDictionary(u => u.EmployeeId!.Value);
        Dictionary<int, string> codes = await db.Agencies.ToDictionaryAsync(a => a.Id, a => a.Code, cancellationToken);
        int changed = 0;
        foreach ((EmployeeRecord employee, bool head) in employees)
        {
            if (!accounts.TryGetValue(employee.Id, out UserRecord? user))
            {
                continue;
            }
            var roles = (Role)user.Roles;
            Role wanted = head ? roles | Role.AgencyHead : roles & ~Role.AgencyHead;
            if (wanted == Role.None)
            {
                wanted = Role.Subscriber; // a head who is no longer one stays a holder
            }
            int? agencyId = head ? employee.AgencyId : null;
            if (wanted == roles && user.AgencyId == agencyId)
            {
                continue;
            }
            AuditLog.Record(db, time, actor, "user.roles-changed", user.Username, new
            {
                from = roles.ToString(),
                to = wanted.ToString(),
                agency = agencyId is int id ? codes[id] : null,
                source = "import",
            });
            user.Roles = (int)wanted;
            user.AgencyId = agencyId;
            changed++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return changed;
    }

    /// <summary>
    /// Closes the open accounts of the employees <paramref name="leaving"/> picks (no longer in service, or not in a complete
    /// file), except <paramref name="self"/>'s. Accounts that belong to no employee (operators, auditors) are not the
    /// personnel file's to close.
    /// </summary>
    public static async Task<int> DisableLeaversAsync(SegelDbContext db, Func<long, bool> leaving, string? self, Actor actor, TimeProvider time,
        CancellationToken cancellationToken)
    {
        List<UserRecord> leavers = (await Open(db).ToListAsync(cancellationToken))
            .Where(u => leaving(u.EmployeeId!.Value) && u.Username != self).ToList();
        foreach (UserRecord user in leavers)
        {
            user.Disabled = true; // an invited account is disabled already; closing it voids its link
            AuditLog.Record(db, time, actor, "user.disabled", user.Username, new { reason = "left the service or the personnel file" });
        }
        await db.SaveChangesAsync(cancellationToken);
        // An unused invitation would open the account again: accepting one enables the account it was made for.
        List<long> ids = leavers.Select(u => u.Id).ToList();
        DateTimeOffset now = time.GetUtcNow();
        await Invitations.VoidUnusedAsync(db, ids, now, cancellationToken);
        return leavers.Count;
    }

    /// <summary>Accounts of employees that are open or can be opened: enabled, or invited with a link still unused.</summary>
    private static IQueryable<UserRecord> Open(SegelDbContext db) =>
        db.Users.Where(u => u.EmployeeId != null && (!u.Disabled || db.Invitations.Any(i => i.UserId == u.Id && i.UsedAt == null)));

    /// <summary>A dry run's view of the same: how many accounts would be made, and how many disabled.</summary>
    /// <remarks><paramref name="serving"/>: the NIPs in the file still in service; <paramref name="leaving"/>: those the file says left it.</remarks>
    public static async Task<ImportAccounts> PreviewAsync(SegelDbContext db, IReadOnlyCollection<string> serving, IReadOnlySet<string> leaving,
        EmployeeImportOptions options, string? self, CancellationToken cancellationToken)
    {
        HashSet<string> withAccount = (await (from u in db.Users join e in db.Employees on u.EmployeeId equals e.Id select e.Nip)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var open = await (from u in Open(db) join e in db.Employees on u.EmployeeId equals e.Id select new { e.Nip, u.Username }).ToListAsync(cancellationToken);
        HashSet<string> usernames = (await db.Users.Select(u => u.Username).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        HashSet<string> wanted = serving.ToHashSet(StringComparer.Ordinal);
        List<string> candidates = options.OpenAccounts ? wanted.Where(n => !withAccount.Contains(n)).ToList() : [];
        return new ImportAccounts(
            Made: candidates.Count(n => !usernames.Contains(n)),
            Disabled: open.Count(a => (options.Complete ? !wanted.Contains(a.Nip) : leaving.Contains(a.Nip)) && a.Username != self))
        {
            Skipped = candidates.Where(usernames.Contains).ToList(),
        };
    }
}
