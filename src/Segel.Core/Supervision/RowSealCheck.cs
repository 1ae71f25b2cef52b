using Microsoft.EntityFrameworkCore;
using Segel.Core.Storage;

namespace Segel.Core.Supervision;

/// <summary>
/// The sealed tables (employees, users, settings) checked row by row: a row whose seal does not match was changed
/// behind Segel's back, a row with none was inserted behind it, and an employee or account the audit chain saw
/// created but the table no longer holds was deleted. One line per row, named as a reader knows it.
/// </summary>
internal static class RowSealCheck
{
    public static async Task<IReadOnlyList<string>> DifferencesAsync(SegelDbContext db, AuditChain chain, CancellationToken cancellationToken)
    {
        var differences = new List<string>();
        var nips = new HashSet<string>(StringComparer.Ordinal);
        await foreach (EmployeeRecord row in db.Employees.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            nips.Add(row.Nip);
            Check(row, chain, differences);
        }
        var usernames = new HashSet<string>(StringComparer.Ordinal);
        await foreach (UserRecord row in db.Users.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            usernames.Add(row.Username);
            Check(row, chain, differences);
        }
        await foreach (SettingRecord row in db.Settings.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            Check(row, chain, differences);
        }
        // Neither employees nor accounts are ever deleted by Segel; the chain says which were created.
        List<string> createdEmployees = await db.AuditRecords.AsNoTracking().Where(a => a.Action == "employee.created").Select(a => a.Subject).Distinct().ToListAsync(cancellationToken);
        differences.AddRange(createdEmployees.Where(nip => !nips.Contains(nip)).Order(StringComparer.Ordinal)
            .Select(nip => $"employee {nip}: the record shows it created, but the row is gone (deleted behind Segel's back)"));
        List<string> createdUsers = await db.AuditRecords.AsNoTracking().Where(a => a.Action == "user.created").Select(a => a.Subject).Distinct().ToListAsync(cancellationToken);
        differences.AddRange(createdUsers.Where(name => !usernames.Contains(name)).Order(StringComparer.Ordinal)
            .Select(name => $"user {name}: the record shows it created, but the row is gone (deleted behind Segel's back)"));
        return differences;
    }

    private static void Check(ISealedRow row, AuditChain chain, List<string> differences)
    {
        if (row.Seal is null)
        {
            differences.Add($"{row.Subject()}: a row without a seal (inserted behind Segel's back)");
        }
        else if (!chain.RowIntact(row))
        {
            differences.Add($"{row.Subject()}: the row no longer matches its seal (changed behind Segel's back)");
        }
    }
}
