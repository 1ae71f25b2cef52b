using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Privacy;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

/// <summary>
/// A person's certificate status in the words of the national signing service, which existing e-government
/// applications already understand (see the regulation notes, last section).
/// </summary>
public static class NationalStatus
{
    /// <summary>No employee with that NIK/NIP is known.</summary>
    public const string NotRegistered = "NOT_REGISTERED";
    /// <summary>Known, but no certificate and no application.</summary>
    public const string NoCertificate = "NO_CERTIFICATE";
    /// <summary>An application is being prepared (documents, the holder's confirmation).</summary>
    public const string New = "NEW";
    /// <summary>An application waits for the RA.</summary>
    public const string WaitingForVerification = "WAITING_FOR_VERIFICATION";
    /// <summary>Holds a valid certificate.</summary>
    public const string Issue = "ISSUE";
    /// <summary>Holds a valid certificate and a renewal or re-issuance is under way.</summary>
    public const string Renew = "RENEW";
    /// <summary>The latest certificate expired and none is valid.</summary>
    public const string Expired = "EXPIRED";
    /// <summary>Holds a valid certificate whose key is locked after wrong passphrases, until an RA officer unlocks it.</summary>
    public const string Suspend = "SUSPEND";
    /// <summary>The latest certificate was revoked and none is valid.</summary>
    public const string Revoke = "REVOKE";
}

public sealed record HolderStatus(string Status, string? Nip, string? Name, string? Agency, string? CertificateSerial, DateTimeOffset? NotAfter);

public sealed class HolderStatuses
{
    /// <summary>The API-token scope of integrating applications that check a person's status before asking them to sign.</summary>
    public const string StatusScope = ApiScopes.StatusRead;

    private readonly LifecycleContext _context;

    internal HolderStatuses(LifecycleContext context) => _context = context;

    /// <summary>By NIK (as the national API asks) or NIP. Looking someone up by NIK is reading personal data, so callers must be signed in.</summary>
    public Task<HolderStatus> FindAsync(string? nik, string? nip, Principal by, CancellationToken cancellationToken = default) =>
        FindAsync(nik, nip, null, by, cancellationToken);

    /// <summary>By NIK, NIP or official e-mail (the national API's v2 takes NIK or e-mail), whichever is given first.</summary>
    public async Task<HolderStatus> FindAsync(string? nik, string? nip, string? email, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (by.Roles == Role.None && by.Scopes?.Contains(StatusScope) != true && by.Scopes?.Contains(ApiScopes.SignPdf) != true)
        {
            throw SegelException.Forbidden(Localized.Of("Error.TokenNotGrantScope", StatusScope));
        }
        await using SegelDbContext db = _context.Database.CreateContext();
        EmployeeRecord? employee = await FindEmployeeAsync(db, _context.PersonalData, nik, nip, email, cancellationToken);
        if (employee is null)
        {
            return new HolderStatus(NationalStatus.NotRegistered, null, null, null, null, null);
        }
        if (by.Has(Role.AgencyHead) && !by.Has(Role.Admin | Role.RaOfficer | Role.Auditor) && by.AgencyId != employee.AgencyId)
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotSeeStatusAnotherAgency", by.Name));
        }
        if (by.Has(Role.Subscriber) && by.Roles == Role.Subscriber && by.EmployeeId != employee.Id)
        {
            throw SegelException.Forbidden(Localized.Of("Error.HolderSeeTheirOwnStatus"));
        }
        Dictionary<long, (string Status, CertificateRecord? Current)> status = await ComputeAsync(db, [employee.Id], _context.Time.GetUtcNow(), cancellationToken);
        (string word, CertificateRecord? current) = status[employee.Id];
        string agency = await db.Agencies.Where(a => a.Id == employee.AgencyId).Select(a => a.Code).SingleAsync(cancellationToken);
        return new HolderStatus(word, employee.Nip, employee.Name, agency, current?.SerialHex, current?.NotAfter);
    }

    /// <summary>The employee with this NIK, NIP or official e-mail (the first given), or null; an error when none is given.</summary>
    internal static async Task<EmployeeRecord?> FindEmployeeAsync(SegelDbContext db, Privacy.PersonalDataProtector personalData, string? nik, string? nip, string? email,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(personalData);
        if (!string.IsNullOrWhiteSpace(nik))
        {
            byte[] lookup = personalData.Lookup(PersonalDataProtector.NikPurpose, nik.Trim());
            return await db.Employees.AsNoTracking().SingleOrDefaultAsync(e => e.NikLookup == lookup, cancellationToken);
        }
        if (!string.IsNullOrWhiteSpace(nip))
        {
            string wanted = nip.Trim();
            return await db.Employees.AsNoTracking().SingleOrDefaultAsync(e => e.Nip == wanted, cancellationToken);
        }
        if (!string.IsNullOrWhiteSpace(email))
        {
            string wanted = email.Trim().ToLowerInvariant();
            return await db.Employees.AsNoTracking().SingleOrDefaultAsync(e => e.Email == wanted, cancellationToken);
        }
        throw SegelException.Invalid("nik", Localized.Of("Error.GiveNikNipEMail"));
    }

    /// <summary>Status of many employees in three queries (for lists and coverage).</summary>
    internal static async Task<Dictionary<long, (string Status, CertificateRecord? Current)>> ComputeAsync(SegelDbContext db, IReadOnlyCollection<long> employeeIds,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        List<CertificateRecord> certificates = await db.Certificates.AsNoTracking()
            // A holder's status is their signing certificate's; a separate encryption certificate (issue 23.5) goes with it.
            .Where(c => c.EmployeeId != null && employeeIds.Contains(c.EmployeeId.Value) && c.PairedCertificateId == null)
            .Select(c => new CertificateRecord
            {
                Id = c.Id, EmployeeId = c.EmployeeId, SerialHex = c.SerialHex, Profile = c.Profile, SubjectDn = "", CommonName = c.CommonName, Der = Array.Empty<byte>(),
                NotBefore = c.NotBefore, NotAfter = c.NotAfter, IssuedAt = c.IssuedAt, RevokedAt = c.RevokedAt, RevocationReason = c.RevocationReason, IssuerId = c.IssuerId,
            }).ToListAsync(cancellationToken);
        EnrollmentState[] open = [EnrollmentState.Draft, EnrollmentState.Submitted, EnrollmentState.Rejected];
        var enrollments = await db.Enrollments.AsNoTracking().Where(e => employeeIds.Contains(e.EmployeeId) && open.Contains(e.State))
            .Select(e => new { e.EmployeeId, e.State }).ToListAsync(cancellationToken);
        List<long> locked = await db.HolderKeys.AsNoTracking().Where(k => employeeIds.Contains(k.EmployeeId) && k.LockedAt != null && k.CertificateId != null)
            .Select(k => k.CertificateId!.Value).ToListAsync(cancellationToken);

        var result = new Dictionary<long, (string, CertificateRecord?)>();
        foreach (long id in employeeIds)
        {
            List<CertificateRecord> own = certificates.Where(c => c.EmployeeId == id).OrderByDescending(c => c.IssuedAt).ThenByDescending(c => c.Id).ToList();
            CertificateRecord? valid = own.FirstOrDefault(c => c.RevokedAt is null && c.NotBefore <= now && c.NotAfter > now);
            var application = enrollments.Where(e => e.EmployeeId == id).Select(e => (EnrollmentState?)e.State).FirstOrDefault();
            if (valid is not null)
            {
                string word = locked.Contains(valid.Id) ? NationalStatus.Suspend : application is not null ? NationalStatus.Renew : NationalStatus.Issue;
                result[id] = (word, valid);
                continue;
            }
            if (application is EnrollmentState.Submitted)
            {
                result[id] = (NationalStatus.WaitingForVerification, null);
            }
            else if (application is not null)
            {
                result[id] = (NationalStatus.New, null);
            }
            else if (own.FirstOrDefault() is { } latest)
            {
                result[id] = (latest.RevokedAt is not null ? NationalStatus.Revoke : NationalStatus.Expired, latest);
            }
            else
            {
                result[id] = (NationalStatus.NoCertificate, null);
            }
        }
        return result;
    }
}
