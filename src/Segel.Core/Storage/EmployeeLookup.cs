using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Core.Storage;

/// <summary>Finding an employee by NIP, with the errors every feature that starts from a NIP gives.</summary>
internal static class EmployeeLookup
{
    public static async Task<EmployeeRecord> EmployeeByNipAsync(this SegelDbContext db, string? nip, CancellationToken cancellationToken)
    {
        string wanted = (nip ?? "").Trim();
        if (wanted.Length == 0)
        {
            throw SegelException.Invalid("nip", Localized.Of("Error.EmployeeNipRequired"));
        }
        return await db.Employees.SingleOrDefaultAsync(e => e.Nip == wanted, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoEmployeeNipImportEmployee", wanted));
    }
}
