using System.Security.Cryptography.X509Certificates;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Cms;
using Segel.Texts;

namespace Segel.Core.Recipients;

/// <summary>A person found in the directory, with the certificates of theirs that are valid now.</summary>
public sealed record DirectoryPerson(string Name, IReadOnlyList<string> Emails, IReadOnlyList<DirectoryCertificate> Certificates);

/// <summary>One valid certificate of a person, with its PEM (what a colleague encrypts to).</summary>
public sealed record DirectoryCertificate(string Serial, string Name, string Email, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Pem);

/// <summary>
/// The portal's and the API's read-only search of the certificate directory: what the LDAP directory publishes, answered
/// from Segel's own records (so it works without a directory configured) — the valid certificates of people on file,
/// found by name, e-mail address or serial. Any signed-in person may search (a holder looks up a colleague to encrypt to);
/// an application needs the certificates:read scope.
/// </summary>
public sealed class RecipientDirectory
{
    /// <summary>People in one answer: enough to choose from, small enough that a vague word costs little.</summary>
    public const int MaxPeople = 25;

    private const Role Searchers = Role.PolicyAdmin | Role.RaOfficer | Role.AgencyHead | Role.Subscriber | Role.Auditor;
    private static readonly HashSet<string> PeopleProfiles =
        [CertificateProfile.Subscriber.ToName(), CertificateProfile.RaOfficer.ToName(), CertificateProfile.Encryption.ToName()];
    private readonly CertificateQueries _queries;
    private readonly TimeProvider _time;

    internal RecipientDirectory(CertificateQueries queries, TimeProvider time)
    {
        _queries = queries;
        _time = time;
    }

    /// <summary>Refuses anyone who may not read the directory: not signed in as a person, or an application without certificates:read.</summary>
    internal static void RequireMaySearch(Principal by)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.RequireScope(ApiScopes.CertificatesRead, Searchers, "search-the-directory");
    }

    public async Task<IReadOnlyList<DirectoryPerson>> SearchAsync(Principal by, string? query, CancellationToken cancellationToken = default)
    {
        RequireMaySearch(by);
        if (SearchText.Words(query).Count == 0)
        {
            throw SegelException.Invalid("q", Localized.Of("Error.DirectorySearchNeedsWord"));
        }
        // The certificate search (indexed, every word in the name, e-mail or serial) over valid certificates; those of
        // Segel's own services and those issued outside the register are not anyone's to encrypt to.
        IReadOnlyList<CertificateRecord> found = await _queries.ListAsync(CertificateFilter.Valid, query, 0, CertificateQueries.MaxPageSize, cancellationToken);
        return [.. found.Where(Listed)
            .GroupBy(c => c.EmployeeId!.Value)
            .Take(MaxPeople)
            .Select(g => new DirectoryPerson(g.First().CommonName,
                [.. g.Select(c => c.Email).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)],
                [.. g.Select(View)]))];
    }

    /// <summary>One certificate the directory lists, by serial (to download it); not found when it is not valid or not a person's on file.</summary>
    public async Task<(DirectoryCertificate Certificate, byte[] Der)> CertificateAsync(Principal by, string serial, CancellationToken cancellationToken = default)
    {
        RequireMaySearch(by);
        CertificateRecord record = await _queries.GetAsync(serial, null, cancellationToken);
        if (!Listed(record) || record.RevokedAt is not null || record.NotAfter <= _time.GetUtcNow())
        {
            throw SegelException.NotFound(Localized.Of("Error.NoCertificateSerial", record.SerialHex));
        }
        return (View(record), record.Der);
    }

    /// <summary>
    /// A person's certificate a document can be encrypted to: a holder with a separate encryption certificate (issue 23.5) is
    /// listed with that one, not with the signing certificate beside it.
    /// </summary>
    private static bool Listed(CertificateRecord c)
    {
        if (c.EmployeeId is null || !PeopleProfiles.Contains(c.Profile))
        {
            return false;
        }
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(c.Der);
        return DocumentEncryption.AllowsEncryptionTo(certificate);
    }

    private static DirectoryCertificate View(CertificateRecord c) =>
        new(c.SerialHex, c.CommonName, c.Email ?? "", c.NotBefore, c.NotAfter, System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", c.Der));
}
