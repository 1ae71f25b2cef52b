using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Settings;
using Segel.Core.Storage;
using Segel.Texts;

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
            ?? throw SegelException.Invalid("nip", Localized.Of("Error.CertificateIssuedOutsideRaFlowNeeds"));
        await using SegelDbContext db = _database.CreateContext();
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleOrDefaultAsync(e => e.Nip == nip, cancellationToken)
            ?? throw SegelException.Prohibited("nip", Localized.Of("Error.NoEmployeeNipFileCertificates", nip));
        await IntegrityAlarm.RequireIntactAsync(db, employee, "issue-a-certificate", _time.GetUtcNow(), cancellationToken);
        RegencySettings settings = await _settings.GetAsync(cancellationToken);
        string email = employee.Email.ToLowerInvariant();
        if (!settings.IsOfficial(email))
        {
            throw SegelException.Prohibited("email", Localized.Of("Error.EMailFileNipNot", nip, settings.DomainList));
        }
        if (!string.IsNullOrWhiteSpace(given.Email) && !string.Equals(given.Email.Trim(), email, StringComparison.OrdinalIgnoreCase))
        {
            throw SegelException.Prohibited("email", Localized.Of("Error.NotOfficialEMailFile", given.Email.Trim(), nip));
        }
        if (!string.IsNullOrWhiteSpace(given.Name) && !string.Equals(given.Name.Trim(), employee.Name, StringComparison.Ordinal))
        {
            throw SegelException.Prohibited("name", Localized.Of("Error.NotNameFileNip", given.Name.Trim(), nip));
        }
        string unit = await HoldersOnFile.UnitOfAsync(db, employee, cancellationToken);
        if (!string.IsNullOrWhiteSpace(given.Unit) && !string.Equals(given.Unit.Trim(), unit, StringComparison.Ordinal))
        {
            throw SegelException.Prohibited("unit", Localized.Of("Error.NotAgencyFileNip", given.Unit.Trim(), nip));
        }
        return (new HolderDetails(employee.Name, email, unit, employee.Nip), IssuanceGrounds.Direct(employee.Id, why));
    }

    private static string Reason(string? reason)
    {
        string why = (reason ?? "").Trim();
        if (why.Length < MinReasonLength)
        {
            throw SegelException.Invalid("reason", Localized.Of("Error.CertificateIssuedOutsideRaFlow", MinReasonLength));
        }
        if (why.Length > MaxReasonLength || why.Any(c => char.IsControl(c) && c != '\n'))
        {
            throw SegelException.Invalid("reason", Localized.Of("Error.ReasonMostCharactersText", MaxReasonLength));
        }
        return why;
    }
}
