using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Ca;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Privacy;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

/// <summary>
/// The first RA officers cannot be approved by an officer (none holds a certificate yet), so the operator at
/// the server's console certifies them directly: an <c>ra-officer</c> certificate whose key is sealed under the
/// officer's own passphrase. Later officers apply like everyone else. Only the console may do this.
/// </summary>
public sealed class OfficerBootstrap
{
    private readonly LifecycleContext _context;
    private readonly HolderKeyVault _vault;
    private readonly CertificateIssuance _issuance;
    private readonly AuthorityRing _ring;

    internal OfficerBootstrap(LifecycleContext context, HolderKeyVault vault, CertificateIssuance issuance, AuthorityRing ring)
    {
        _ring = ring;
        _context = context;
        _vault = vault;
        _issuance = issuance;
    }

    public async Task<CertificateView> CertifyAsync(string username, string passphrase, Principal by, CancellationToken cancellationToken = default)
    {
        if (!ReferenceEquals(by, Principal.Console))
        {
            throw SegelException.Forbidden(Localized.Of("Error.OperatorServerConsoleCertifyRa"));
        }
        string name = (username ?? "").Trim().ToLowerInvariant();
        await using SegelDbContext db = _context.Database.CreateContext();
        UserRecord user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Username == name, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchUser", name));
        if (((Role)user.Roles & Role.RaOfficer) == 0 || user.EmployeeId is not long employeeId)
        {
            throw SegelException.Refused(Localized.Of("Error.NotRaOfficerLinkedEmployee", name));
        }
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == employeeId, cancellationToken);
        DateTimeOffset now = _context.Time.GetUtcNow();
        await IntegrityAlarm.RequireIntactAsync(db, employee, "issue-a-certificate", now, cancellationToken);
        if (await db.Certificates.AnyAsync(c => c.EmployeeId == employeeId && c.RevokedAt == null && c.NotAfter > now, cancellationToken))
        {
            throw SegelException.Conflict(Localized.Of("Error.AlreadyHoldsValidCertificate", name));
        }
        string nik = _context.PersonalData.Open(PersonalDataProtector.NikPurpose, employee.NikSealed);
        HolderKeyVault.CheckPassphrase(passphrase, employee.Nip, nik, employee.Email.Split('@')[0]);
        string unit = await HoldersOnFile.UnitOfAsync(db, employee, cancellationToken);
        HolderKeyRecord key = _vault.Create(employeeId, passphrase);
        // Signed before the transaction: from an upstream CA it is a network exchange (see CertificateIssuance.PrepareAsync).
        await using PreparedCertificate prepared = await _issuance.PrepareAsync(HolderKeyVault.PublicKeyOf(key),
            new HolderDetails(employee.Name, await _context.OfficialEmailAsync(employee.Email, "email", cancellationToken), unit, employee.Nip),
            CertificateProfile.RaOfficer, cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.HolderKeys.Add(key);
        IssuedCertificate issued = _issuance.Record(db, prepared, CertificateProfile.RaOfficer, by.ToActor("cli"), "segel", IssuanceGrounds.Bootstrap(employeeId));
        await db.SaveChangesAsync(cancellationToken);
        key.CertificateId = issued.Record.Id;
        AuditLog.Record(db, _context.Time, by.ToActor("cli"), "officer.certified", name, new { certificate = issued.Record.SerialHex, employee = employee.Nip });
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        await prepared.ConfirmAsync();
        string issuer = (await _ring.FindByIdAsync(issued.Record.IssuerId, cancellationToken))?.Slug ?? "?";
        return CertificateView.Of(issued.Record, issuer, _context.Time.GetUtcNow(), includePem: false);
    }
}
