using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Settings;
using Segel.Core.Storage;

namespace Segel.Core.Ca;

/// <summary>
/// The rules for a holder's certificate issued outside the RA flow (<c>segel cert issue</c>, <c>POST
/// /api/v1/certificates</c>): only for an employee on the register (Pasal 10(1)), naming the official e-mail on
/// file (Pasal 14(f)), with a written reason the audit record keeps beside the operator's identity. The register
/// decides the name, NIP, agency and address; what the caller gives is only checked against it, so a mistyped
/// NIP is refused instead of certifying someone else.
/// </summary>
internal sealed class DirectIssuance
{
    public const int MinReasonLength = 10;
    public const int MaxReasonLength = 500;

    private readonly SegelDatabase _database;
    private readonly RegencySettingsStore _settings;
    private readonly TimeProvider _time;

    public DirectIssuance(SegelDatabase database, RegencySettingsStore settings, TimeProvider time)
    {
        _database = database;
        _settings = settings;
        _time = time;
    }

    /// <summary>The certificate's holder details from the register, and the grounds its audit record keeps.</summary>
    public async Task<(HolderDetails Details, IssuanceGrounds Grounds)> ResolveAsync(HolderDetails given, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(given);
        string why = Reason(reason);
        string nip = SubjectValidation.Nip(given.Nip)
            ?? throw SegelException.Invalid("nip", $"A certificate issued outside the RA flow needs the NIP of an employee on file.");
        await using SegelDbContext db = _database.CreateContext();
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleOrDefaultAsync(e => e.Nip == nip, cancellationToken)
            ?? throw SegelException.Prohibited("nip", $"No employee with NIP {nip} is on file; certificates are only for employees on the register (Pasal 10(1)).");
        await IntegrityAlarm.RequireIntactAsync(db, employee, "issue a certificate", _time.GetUtcNow(), cancellationToken);
        RegencySettings settings = await _settings.GetAsync(cancellationToken);
        string email = employee.Email.ToLowerInvariant();
        if (!settings.IsOfficial(email))
        {
            throw SegelException.Prohibited("email", $"The e-mail on file for NIP {nip} is not on {settings.DomainList} (Pasal 14(f)); correct the register first.");
        }
        if (!string.IsNullOrWhiteSpace(given.Email) && !string.Equals(given.Email.Trim(), email, StringComparison.OrdinalIgnoreCase))
        {
            throw SegelException.Prohibited("email", $"{given.Email.Trim()} is not the official e-mail on file for NIP {nip}; the certificate names the address on the register.");
        }
        if (!string.IsNullOrWhiteSpace(given.Name) && !string.Equals(given.Name.Trim(), employee.Name, StringComparison.Ordinal))
        {
            throw SegelException.Prohibited("name", $"{given.Name.Trim()} is not the name on file for NIP {nip}.");
        }
        string unit = await HoldersOnFile.UnitOfAsync(db, employee, cancellationToken);
        if (!string.IsNullOrWhiteSpace(given.Unit) && !string.Equals(given.Unit.Trim(), unit, StringComparison.Ordinal))
        {
            throw SegelException.Prohibited("unit", $"{given.Unit.Trim()} is not the agency on file for NIP {nip}.");
        }
        return (new HolderDetails(employee.Name, email, unit, employee.Nip), IssuanceGrounds.Direct(employee.Id, why));
    }

    private static string Reason(string? reason)
    {
        string why = (reason ?? "").Trim();
        if (why.Length < MinReasonLength)
        {
            throw SegelException.Invalid("reason", $"A certificate issued outside the RA flow needs a written reason of at least {MinReasonLength} characters; the audit record keeps it.");
        }
        if (why.Length > MaxReasonLength || why.Any(c => char.IsControl(c) && c != '\n'))
        {
            throw SegelException.Invalid("reason", $"The reason must be at most {MaxReasonLength} characters of text.");
        }
        return why;
    }
}
