using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;

namespace Segel.Core.Storage;

/// <summary>Finding an employee by NIP, with the errors every feature that starts from a NIP gives.</summary>
internal static class EmployeeLookup
{
    public static async Task<EmployeeRecord> EmployeeByNipAsync(this SegelDbContext db, string? nip, CancellationToken cancellationToken)
    {
        string wanted = (nip ?? "").Trim();
        if (wanted.Length == 0)
        {
            throw SegelException.Invalid("nip", $"The employee's NIP is required.");
        }
        return await db.Employees.SingleOrDefaultAsync(e => e.Nip == wanted, cancellationToken)
            ?? throw SegelException.NotFound($"No employee with NIP {wanted}. Import the employee first.");
    }
}
