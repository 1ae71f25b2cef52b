using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Privacy;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Signing;

/// <summary>One of the holder's certificates as the holder sees it.</summary>
public sealed record OwnCertificate(string Serial, string Profile, DateTimeOffset NotBefore, DateTimeOffset NotAfter, DateTimeOffset? RevokedAt, bool Current, byte[] Der)
{
    /// <summary>When Segel destroyed the private key it kept for this certificate (Pasal 19(g)); null while it keeps it, or kept none.</summary>
    public DateTimeOffset? KeyDestroyedAt { get; init; }
}

/// <summary>What holders see of themselves: their certificates, newest first, and the state of the key Segel keeps.</summary>
public sealed record OwnKeyOverview(string Name, string Nip, string Email, IReadOnlyList<OwnCertificate> Certificates, bool KeyKept, bool KeyLocked, bool CodeSigning);

/// <summary>
/// What holders do with the key Segel keeps for their current certificate, signed in as themselves: change the
/// passphrase, download it as PKCS#12, turn signing with e-mailed codes on or off. Nobody else can: each takes
/// the holder's own principal, and all but turning codes off also the passphrase.
/// </summary>
public sealed class OwnKeys
{
    private readonly SegelDatabase _database;
    private readonly HolderKeyVault _vault;
    private readonly AuthorityRing _ring;
    private readonly PersonalDataProtector _personalData;
    private readonly TimeProvider _time;

    internal OwnKeys(SegelDatabase database, HolderKeyVault vault, AuthorityRing ring, PersonalDataProtector personalData, TimeProvider time)
    {
        _database = database;
        _vault = vault;
        _ring = ring;
        _personalData = personalData;
        _time = time;
    }

    /// <summary>The holder's own certificates (including expired and revoked ones) and whether their key is usable.</summary>
    public async Task<OwnKeyOverview> OverviewAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        long employeeId = by.RequireEmployee();
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == employeeId, cancellationToken);
        List<CertificateRecord> certificates = await db.Certificates.AsNoTracking().Where(c => c.EmployeeId == employeeId).ToListAsync(cancellationToken);
        CertificateRecord? current = certificates.Where(c => c.PairedCertificateId == null && c.RevokedAt == null && c.NotBefore <= now && c.NotAfter > now)
            .MaxBy(c => c.NotAfter);
        HolderKeyRecord? key = current is null ? null
            : await db.HolderKeys.AsNoTracking().Where(k => k.CertificateId == current.Id).FirstOrDefaultAsync(cancellationToken);
        List<long> ids = certificates.Select(c => c.Id).ToList();
        Dictionary<long, DateTimeOffset> destroyed = (await db.HolderKeys.AsNoTracking().Where(k => k.EmployeeId == employeeId && k.DestroyedAt != null && k.CertificateId != null)
            .Select(k => new { CertificateId = k.CertificateId!.Value, At = k.DestroyedAt!.Value }).ToListAsync(cancellationToken))
            .GroupBy(k => k.CertificateId).ToDictionary(g => g.Key, g => g.Max(k => k.At));
        return new OwnKeyOverview(employee.Name, employee.Nip, employee.Email,
            certificates.OrderByDescending(c => c.NotBefore).Select(c => new OwnCertificate(c.SerialHex, c.Profile, c.NotBefore, c.NotAfter, c.RevokedAt, c.Id == current?.Id, c.Der)
            {
                KeyDestroyedAt = destroyed.TryGetValue(c.Id, out DateTimeOffset at) ? at : null,
            }).ToList(),
            key is not null, key?.LockedAt is not null, key?.CodeSealedPrivateKey is not null);
    }

    public async Task ChangePassphraseAsync(Principal by, string? oldPassphrase, string? newPassphrase, string? origin, CancellationToken cancellationToken = default)
    {
        SigningHolder holder = await CurrentAsync(by, cancellationToken);
        string nik = _personalData.Open(PersonalDataProtector.NikPurpose, holder.Employee.NikSealed);
        await _vault.ChangePassphraseAsync(holder.Key, oldPassphrase, newPassphrase, by.ToActor(origin), [holder.Employee.Nip, nik, holder.Employee.Email], cancellationToken);
    }

    public Task<byte[]> ExportPkcs12Async(Principal by, string? passphrase, string exportPassword, string? origin, CancellationToken cancellationToken = default) =>
        ExportPkcs12Async(by, null, passphrase, exportPassword, origin, cancellationToken);

    /// <summary>
    /// As PKCS#12: the key of the current signing certificate, or with <paramref name="serial"/> the key kept for another of the
    /// holder's own certificates — an encryption certificate's, expired or revoked too, as a mail client needs it to open old
    /// mail (issue 23.5).
    /// </summary>
    public async Task<byte[]> ExportPkcs12Async(Principal by, string? serial, string? passphrase, string exportPassword, string? origin,
        CancellationToken cancellationToken = default)
    {
        CertificateRecord record;
        HolderKeyRecord key;
        if (string.IsNullOrWhiteSpace(serial))
        {
            SigningHolder holder = await CurrentAsync(by, cancellationToken);
            (record, key) = (holder.Certificate, holder.Key);
        }
        else
        {
            (record, key) = await OwnKeptAsync(by, serial, cancellationToken);
        }
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(record.Der);
        IReadOnlyList<X509Certificate2> chain = await _ring.ChainFromAsync(record.IssuerId, cancellationToken);
        return await _vault.ExportPkcs12Async(key, certificate, chain, passphrase, exportPassword, by.ToActor(origin), cancellationToken);
    }

    /// <summary>One of the holder's own certificates, by serial, with the key Segel still keeps for it.</summary>
    private async Task<(CertificateRecord, HolderKeyRecord)> OwnKeptAsync(Principal by, string serial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        long employeeId = by.RequireEmployee();
        string hex = serial.Trim().ToUpperInvariant();
        await using SegelDbContext db = _database.CreateContext();
        var found = await (from c in db.Certificates.AsNoTracking()
                           join k in db.HolderKeys.AsNoTracking() on c.Id equals k.CertificateId
                           where c.SerialHex == hex && c.EmployeeId == employeeId && k.EmployeeId == employeeId && k.DestroyedAt == null
                           select new { Certificate = c, Key = k }).FirstOrDefaultAsync(cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoKeptKeyForSerial", hex));
        await Audit.IntegrityAlarm.RequireIntactAsync(db, found.Key, "export-a-key", _time.GetUtcNow(), cancellationToken);
        return (found.Certificate, found.Key);
    }

    public async Task SetCodeSigningAsync(Principal by, bool enabled, string? passphrase, string? origin, CancellationToken cancellationToken = default)
    {
        SigningHolder holder = await CurrentAsync(by, cancellationToken);
        if (enabled)
        {
            await _vault.EnableCodeSigningAsync(holder.Key, passphrase, by.ToActor(origin), cancellationToken);
        }
        else
        {
            await _vault.DisableCodeSigningAsync(holder.Key, by.ToActor(origin), cancellationToken);
        }
    }

    private async Task<SigningHolder> CurrentAsync(Principal by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        long employeeId = by.RequireEmployee();
        await using SegelDbContext db = _database.CreateContext();
        return await SigningHolder.FindSelfAsync(db, employeeId, _time.GetUtcNow(), cancellationToken);
    }
}
