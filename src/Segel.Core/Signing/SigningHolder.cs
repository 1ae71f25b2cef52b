using Segel.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Lifecycle;
using Segel.Core.Privacy;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Signing;

/// <summary>A holder who can sign through Segel: the employee, their valid certificate and the key Segel keeps for it.</summary>
internal sealed record SigningHolder(EmployeeRecord Employee, CertificateRecord Certificate, HolderKeyRecord Key)
{
    /// <summary>
    /// Finds the holder by NIK (as the national API asks) or official e-mail, and refuses with the reason the
    /// national API reports: not registered, no valid certificate (with the status), or a key Segel does not keep.
    /// </summary>
    internal static async Task<SigningHolder> FindAsync(SegelDbContext db, PersonalDataProtector personalData, string? nik, string? email, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(personalData);
        EmployeeRecord? employee = await HolderStatuses.FindEmployeeAsync(db, personalData, nik, null, email, cancellationToken);
        if (employee is null)
        {
            throw new SegelException(ErrorKind.NotFound, Localized.Of("Error.HolderNotRegistered")) { Code = SigningErrors.NotRegistered };
        }
        return await WithCertificateAsync(db, employee, now, cancellationToken);
    }

    /// <summary>The signed-in person themselves, by their employee record.</summary>
    internal static async Task<SigningHolder> FindSelfAsync(SegelDbContext db, long employeeId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == employeeId, cancellationToken);
        return await WithCertificateAsync(db, employee, now, cancellationToken);
    }

    private static async Task<SigningHolder> WithCertificateAsync(SegelDbContext db, EmployeeRecord employee, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await IntegrityAlarm.RequireIntactAsync(db, employee, "sign", now, cancellationToken);
        (string status, CertificateRecord? current) = (await HolderStatuses.ComputeAsync(db, [employee.Id], now, cancellationToken))[employee.Id];
        if (current is null || status is not (NationalStatus.Issue or NationalStatus.Renew or NationalStatus.Suspend))
        {
            throw new SegelException(ErrorKind.Refused, Localized.Of("Error.HolderNoValidCertificateStatus", status)) { Code = SigningErrors.NoCertificate };
        }
        CertificateRecord certificate = await db.Certificates.AsNoTracking().SingleAsync(c => c.Id == current.Id, cancellationToken);
        // Pasal 17(3): a revocation is never undone. If the public log records one that the row no longer shows, the row
        // was changed behind Segel's back; the log, not the row, is believed.
        if (await db.LogEntries.AnyAsync(e => e.Subject == certificate.SerialHex && e.Kind == TransparencyLeaves.Revoked, cancellationToken))
        {
            await IntegrityAlarm.RaiseAsync(db, "certificate", certificate.SerialHex, "sign", now, cancellationToken);
            throw IntegrityAlarm.Refusal("certificate", certificate.SerialHex, "sign");
        }
        HolderKeyRecord key = await db.HolderKeys.AsNoTracking().SingleOrDefaultAsync(k => k.CertificateId == certificate.Id, cancellationToken)
            ?? throw new SegelException(ErrorKind.Refused, Localized.Of("Error.HolderKeepsKeyTheirCertificate"))
            { Code = SigningErrors.NoCertificate };
        return new SigningHolder(employee, certificate, key);
    }
}
