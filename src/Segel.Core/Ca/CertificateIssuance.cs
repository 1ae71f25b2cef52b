using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>Who a holder's certificate names. Missing fields are taken from the CSR, when there is one.</summary>
public sealed record HolderDetails(string? Name = null, string? Email = null, string? Unit = null, string? Nip = null);

internal sealed record IssuedCertificate(CertificateRecord Record, X509Certificate2 Certificate);

/// <summary>
/// Why a holder's certificate is issued, as its audit record keeps it: through the RA (an approved application),
/// the console's first RA officer, or directly by an operator or integration outside the RA flow, with the
/// employee on file and a written reason (Pasal 7; the supervision report lists these).
/// </summary>
internal sealed record IssuanceGrounds(string Route, long? EmployeeId = null, string? Reason = null)
{
    public const string RaRoute = "ra";
    public const string BootstrapRoute = "officer-bootstrap";
    public const string DirectRoute = "direct";
    public const string TlsServerRoute = "tls-server";

    public static IssuanceGrounds Ra(long employeeId) => new(RaRoute, employeeId);

    public static IssuanceGrounds Bootstrap(long employeeId) => new(BootstrapRoute, employeeId);

    public static IssuanceGrounds Direct(long employeeId, string reason) => new(DirectRoute, employeeId, reason);

    /// <summary>An institutional seal approved by the RA (issue 23.2); no person holds it.</summary>
    public static readonly IssuanceGrounds Seal = new(SealRoute);

    public const string SealRoute = "seal";

    /// <summary>A certificate for one of the regency's own hosts, made by an administrator; no person holds it.</summary>
    public static readonly IssuanceGrounds TlsServer = new(TlsServerRoute);

    /// <summary>In-process callers only (tests, benchmarks): the doors always name an employee and a reason.</summary>
    public static readonly IssuanceGrounds Unrecorded = new(DirectRoute);
}

/// <summary>
/// Issues holders' certificates: from a PKCS#10 request (the holder keeps the key) or with a key pair Segel
/// generates and hands over once, as PKCS#12. Validity is exactly <see cref="CaSettings.HolderValidityYears"/>
/// years; the profile, never the request, decides the extensions.
/// </summary>
internal sealed class CertificateIssuance
{
    public const int MinPasswordLength = 8;
    private const int Attempts = 3;
    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;
    private readonly CaSettings _settings;
    private readonly TimeProvider _time;
    private readonly UpstreamCa? _upstream;

    public CertificateIssuance(SegelDatabase database, AuthorityRing ring, CaSettings settings, TimeProvider time, UpstreamCa? upstream = null)
    {
        _upstream = upstream;
        _database = database;
        _ring = ring;
        _settings = settings;
        _time = time;
    }

    public Task<IssuedCertificate> IssueFromCsrAsync(byte[] csr, HolderDetails details, CertificateProfile profile, Actor actor,
        IssuanceGrounds? grounds = null, CancellationToken cancellationToken = default) =>
        IssueFromCsrAsync(ParseCsr(csr), details, profile, actor, grounds, cancellationToken);

    /// <summary>A PKCS#10 request, checked (signature, key type and size) before anything else is looked up for it.</summary>
    public static SigningRequest ParseCsr(byte[] csr)
    {
        try
        {
            return SigningRequest.Load(csr);
        }
        catch (CertificateIssuanceException e)
        {
            throw SegelException.Invalid("csr", Localized.Of("Error.CsrNotUsable", e.Message));
        }
    }

    public async Task<IssuedCertificate> IssueFromCsrAsync(SigningRequest request, HolderDetails details, CertificateProfile profile, Actor actor,
        IssuanceGrounds? grounds = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(details);
        var merged = new HolderDetails(details.Name ?? request.CommonName, details.Email ?? request.Email, details.Unit ?? request.OrganizationalUnit, details.Nip);
        return await IssueAsync(ct => PrepareAsync(request.PublicKey, merged, profile, ct), profile, actor, "csr", grounds ?? IssuanceGrounds.Unrecorded,
            cancellationToken);
    }

    /// <summary>Generates the holder's key pair, issues, and returns both sealed in a PKCS#12 under <paramref name="password"/>.</summary>
    public async Task<(IssuedCertificate Issued, byte[] Pkcs12)> IssueWithGeneratedKeyAsync(HolderDetails details, CertificateProfile profile,
        string password, Actor actor, IssuanceGrounds? grounds = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
        {
            throw SegelException.Invalid("password", Localized.Of("Error.Pkcs12PasswordLeastCharacters", MinPasswordLength));
        }
        using SoftwareSigningKey key = SoftwareSigningKey.Generate("holder", _settings.SubscriberAlgorithm);
        IssuedCertificate issued = await IssueAsync(ct => PrepareAsync(key.PublicKey, details, profile, ct), profile, actor, "generated-key",
            grounds ?? IssuanceGrounds.Unrecorded, cancellationToken);
        // The whole chain up to the root, with any outside CA between (under the national root).
        IReadOnlyList<X509Certificate2> chain = await _ring.ChainFromAsync(issued.Record.IssuerId, cancellationToken);
        using X509Certificate2 withKey = key.AttachTo(issued.Certificate);
        byte[] pkcs12 = Pkcs12Export.Export(withKey, [.. chain], password, issued.Record.CommonName);
        return (issued, pkcs12);
    }

    /// <summary>
    /// A TLS server certificate for the regency's own hosts (the first name is its CN, all are DNS names in its
    /// subjectAltName), from Segel's issuing CA, for at most <see cref="CaSettings.TlsServerValidityDays"/> days, as
    /// browsers accept. Recorded, listed and revocable like any other; no person holds it.
    /// </summary>
    public async Task<IssuedCertificate> IssueTlsServerAsync(PublicKey publicKey, IReadOnlyList<string> hosts, Actor actor, string keySource,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(hosts);
        if (_upstream is not null)
        {
            throw SegelException.Refused(Localized.Of("Error.SegelRaUpstreamCaHere"));
        }
        List<string> names = [.. hosts.Select(SubjectValidation.HostName).Distinct(StringComparer.Ordinal)];
        if (names.Count is 0 or > SubjectValidation.MaxHostNames)
        {
            throw SegelException.Invalid("host", Localized.Of("Error.GiveBetween1HostNames", SubjectValidation.MaxHostNames));
        }
        SubjectInfo subject = _settings.Subject(SubjectValidation.Name(names[0], "host"));
        return await IssueAsync(ct => SignLocallyAsync((issuer, now) => new CertificateTemplate(subject.ToDistinguishedName(), publicKey,
            CertificateProfile.TlsServer, now, ServiceCertificates.Earlier(now.AddDays(CaSettings.TlsServerValidityDays), issuer.Certificate.NotAfter.ToUniversalTime()),
            SerialNumber.New(), DnsNames: names), email: null, ct), CertificateProfile.TlsServer, actor, keySource, IssuanceGrounds.TlsServer, cancellationToken);
    }

    private async Task<IssuedCertificate> IssueAsync(Func<CancellationToken, Task<PreparedCertificate>> prepare, CertificateProfile profile, Actor actor,
        string keySource, IssuanceGrounds grounds, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            await using PreparedCertificate prepared = await prepare(cancellationToken);
            await using SegelDbContext db = _database.CreateContext();
            IssuedCertificate issued = Record(db, prepared, profile, actor, keySource, grounds);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e) && attempt < Attempts)
            {
                // A 128-bit serial collided: astronomically unlikely, but the database said so; draw again.
                continue;
            }
            await prepared.ConfirmAsync();
            return issued;
        }
    }

    /// <summary>
    /// Checks the holder's details and has the certificate signed — by Segel's issuing CA, or by the upstream CA when
    /// one is configured (issue 21.2) — before any transaction, so no network exchange holds the database. Record it
    /// with <see cref="Record"/> inside the caller's unit of work, then <see cref="PreparedCertificate.ConfirmAsync"/>
    /// after the commit; disposing it unconfirmed tells the upstream the certificate was not kept.
    /// </summary>
    public async Task<PreparedCertificate> PrepareAsync(PublicKey publicKey, HolderDetails details, CertificateProfile profile, CancellationToken cancellationToken,
        bool signingOnly = false)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(details);
        if (!profile.IsForPeople())
        {
            throw SegelException.Invalid("profile", Localized.Of("Error.ProfileSegelOwnServicesHolders", profile.ToName()));
        }
        string name = SubjectValidation.Name(details.Name);
        string email = SubjectValidation.Email(details.Email);
        string? unit = SubjectValidation.OptionalName(details.Unit, "unit");
        string? nip = SubjectValidation.Nip(details.Nip);
        SubjectInfo subject = _settings.Subject(name, unit, email, nip);
        if (_upstream is not null)
        {
            if (profile == CertificateProfile.Encryption || signingOnly)
            {
                // The upstream decides its certificates' key usages: it cannot be asked for a pair.
                throw SegelException.Refused(Localized.Of("Error.UpstreamIssuesNoPairs"));
            }
            (Pki.Cmp.CmpPendingEnrollment pending, LoadedAuthority upstream) = await _upstream.EnrollAsync(subject.ToDistinguishedName(), publicKey, email, nip, cancellationToken);
            return new PreparedCertificate(pending.Result.Certificate, upstream, email, pending);
        }

        return await SignLocallyAsync((issuer, now) => new CertificateTemplate(subject.ToDistinguishedName(), publicKey, profile,
            now, now.AddYears(CaSettings.HolderValidityYears), SerialNumber.New(), email, SigningOnly: signingOnly), email, cancellationToken);
    }

    /// <summary>
    /// An institutional seal's certificate (issue 23.2): CN the seal's name, OU the agency, O the regency — no person, no NIP,
    /// no e-mail — for the holder validity, from Segel's own issuing CA (an upstream CA decides its own profiles).
    /// </summary>
    public async Task<PreparedCertificate> PrepareSealAsync(PublicKey publicKey, string sealName, string agencyName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (_upstream is not null)
        {
            throw SegelException.Refused(Localized.Of("Error.UpstreamIssuesNoSeals"));
        }
        SubjectInfo subject = _settings.Subject(SubjectValidation.Name(sealName, "name"), SubjectValidation.OptionalName(agencyName, "agency"));
        return await SignLocallyAsync((issuer, now) => new CertificateTemplate(subject.ToDistinguishedName(), publicKey, CertificateProfile.Seal,
            now, now.AddYears(CaSettings.HolderValidityYears), SerialNumber.New()), null, cancellationToken);
    }

    /// <summary>
    /// Whether Segel's own CA signs holders' certificates, and so can issue a signing and an encryption certificate as a pair;
    /// an upstream CA (issue 21.2) decides its certificates' key usages itself.
    /// </summary>
    public bool IssuesPairs => _upstream is null;

    /// <summary>Has Segel's active issuing CA sign what <paramref name="template"/> makes of it and of the time now; a refusal by the signer is the caller's one line.</summary>
    private async Task<PreparedCertificate> SignLocallyAsync(Func<LoadedAuthority, DateTimeOffset, CertificateTemplate> template, string? email,
        CancellationToken cancellationToken)
    {
        LoadedAuthority issuer = await _ring.GetActiveAsync(AuthorityRole.IssuingCa, cancellationToken);
        var signer = new CertificateSigner(issuer.Certificate, issuer.Slug, issuer.Key, _settings.Policy);
        try
        {
            return new PreparedCertificate(signer.Sign(template(issuer, _time.GetUtcNow().ToWholeSeconds())), issuer, email, null);
        }
        catch (CertificateIssuanceException e)
        {
            throw SegelException.Refused(Localized.Of("Error.CertificateCannotIssued", e.Message));
        }
    }

    /// <summary>
    /// Adds a prepared certificate, with its audit record, to the caller's unit of work, so an RA decision, the
    /// certificate and the record of both commit together or not at all.
    /// </summary>
    public IssuedCertificate Record(SegelDbContext db, PreparedCertificate prepared, CertificateProfile profile, Actor actor, string keySource, IssuanceGrounds grounds)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(grounds);
        DateTimeOffset now = _time.GetUtcNow().ToWholeSeconds();
        CertificateRecord record = ServiceCertificates.Issued(prepared.Certificate, profile, now);
        record.IssuerId = prepared.Issuer.Id;
        record.EmployeeId = grounds.EmployeeId;
        db.Certificates.Add(record);
        if (grounds.EmployeeId is { } employee && profile.IsForPeople())
        {
            DirectoryChangeRecord.Note(db, employee, now); // published to the LDAP directory once this commits
        }
        TransparencyLeaves.RecordIssued(db, record, now);
        AuditLog.Record(db, _time, actor, "certificate.issued", record.SerialHex, new
        {
            issuer = prepared.Issuer.Slug, profile = profile.ToName(), subject = record.SubjectDn, email = prepared.Email, keySource, employee = grounds.EmployeeId,
            route = grounds.Route, reason = grounds.Reason, upstream = prepared.FromUpstream ? true : (bool?)null,
            hosts = profile == CertificateProfile.TlsServer ? DnsNames(prepared.Certificate) : null,
        });
        return new IssuedCertificate(record, prepared.Certificate);
    }

    private static string[]? DnsNames(X509Certificate2 certificate) =>
        certificate.Extensions[Oids.SubjectAltName] is { } san ? [.. new X509SubjectAlternativeNameExtension(san.RawData).EnumerateDnsNames()] : null;
}
