using Microsoft.EntityFrameworkCore;
using Segel.Core.Storage;

namespace Segel.Core.Ca;

/// <summary>What a certificate for an employee on file names: the register, not the request, decides.</summary>
internal static class HoldersOnFile
{
    // RFC 5280's ub-organizational-unit-name; agency names on the register may be longer.
    private const int MaxUnitLength = 64;

    /// <summary>The employee's agency name as the certificate's OU.</summary>
    public static async Task<string> UnitOfAsync(SegelDbContext db, EmployeeRecord employee, CancellationToken cancellationToken)
    {
        string agency = await db.Agencies.Where(a => a.Id == employee.AgencyId).Select(a => a.Name).SingleAsync(cancellationToken);
        return agency.Length > MaxUnitLength ? agency[..MaxUnitLength] : agency;
    }
}
