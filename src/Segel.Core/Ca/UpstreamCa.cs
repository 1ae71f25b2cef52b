using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Storage;
using Segel.Pki;
using Segel.Pki.Cmp;
using Segel.Pki.Keys;
using Segel.Pki.Revocation;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>
/// The upstream CA of the RA-only way to run (issue 21.2): approved applications are certified there over CMP
/// instead of by Segel's own issuing CA. What comes back must be for the requested key, an end-entity certificate,
/// and signed by one of the configured upstream CA certificates; each such CA is kept as a key-less authority, so the
/// certificate is stored, listed, chained and checked (status from the upstream's OCSP or CRL) like any other.
/// </summary>
internal sealed class UpstreamCa
{
    private const int MaxFileBytes = 1024 * 1024;
    private const string SlugPrefix = "upstream-";
    private readonly CmpClient _client;
    private readonly IReadOnlyList<X509Certificate2> _cas;
    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;
    private readonly TimeProvider _time;

    private UpstreamCa(Uri url, CmpClient client, IReadOnlyList<X509Certificate2> cas, SegelDatabase database, AuthorityRing ring, TimeProvider time)
    {
        Url = url.ToString();
        _client = client;
        _cas = cas;
        _database = database;
        _ring = ring;
        _time = time;
    }

    /// <summary>The upstream's CMP endpoint, as configured.</summary>
    public string Url { get; }

    /// <summary>The upstream's self-signed roots among its configured CA certificates: trusted for verification.</summary>
    public IReadOnlyList<X509Certificate2> Roots => [.. _cas.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData))];

    /// <summary>The configured upstream, checked; null when none is configured.</summary>
    public static UpstreamCa? Create(UpstreamOptions? options, string folder, SegelDatabase database, AuthorityRing ring, TimeProvider time)
    {
        if (options is null || string.IsNullOrWhiteSpace(options.Protocol))
        {
            return null;
        }
        if (!string.Equals(options.Protocol.Trim(), "cmp", StringComparison.OrdinalIgnoreCase))
        {
            throw SegelException.Invalid("Upstream:Protocol", Localized.Of("Error.UpstreamProtocolNotKnownProtocol", options.Protocol));
        }
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out Uri? url) || url.Scheme is not ("http" or "https"))
        {
            throw SegelException.Invalid("Upstream:Url", Localized.Of("Error.UpstreamUrlUpstreamCaHttp", options.Url));
        }
        List<X509Certificate2> cas = Certificates(options.CaCertificates, folder, "Upstream:CaCertificates");
        if (cas.Count == 0)
        {
            throw SegelException.Invalid("Upstream:CaCertificates", Localized.Of("Error.UpstreamCaCertificatesNamePemFile"));
        }
        if (cas.FirstOrDefault(c => c.Extensions["2.5.29.19"] is not X509BasicConstraintsExtension { CertificateAuthority: true }) is { } notCa)
        {
            throw SegelException.Invalid("Upstream:CaCertificates", Localized.Of("Error.UpstreamCaCertificatesNotCaCertificate", notCa.Subject));
        }
        List<X509Certificate2> responders = [.. (options.ResponderCertificates ?? []).SelectMany(f => Certificates(f, folder, "Upstream:ResponderCertificates"))];
        string? secret = Secret(options, folder);
        if (secret is null && responders.Count == 0)
        {
            throw SegelException.Invalid("Upstream:Secret", Localized.Of("Error.UpstreamCaNeedsSharedSecret"));
        }
        X500DistinguishedName recipient, sender;
        try
        {
            recipient = string.IsNullOrWhiteSpace(options.Recipient) ? cas[0].SubjectName : new X500DistinguishedName(options.Recipient);
            sender = new X500DistinguishedName(string.IsNullOrWhiteSpace(options.Sender) ? "CN=Segel RA" : options.Sender);
        }
        catch (CryptographicException)
        {
            throw SegelException.Invalid("Upstream:Recipient", Localized.Of("Error.UpstreamRecipientUpstreamSenderDistinguished"));
        }
        var client = new CmpClient(new CmpOptions(url, recipient)
        {
            Sender = sender,
            Reference = string.IsNullOrWhiteSpace(options.Reference) ? null : options.Reference.Trim(),
            Secret = secret,
            TrustedResponders = responders,
            Timeout = TimeSpan.FromSeconds(Math.Clamp(options.TimeoutSeconds, 1, 300)),
        }, LocalRevocation.OutsideHttp, time);
        return new UpstreamCa(url, client, cas, database, ring, time);
    }

    /// <summary>True when <paramref name="issuer"/> is one of the upstream's CAs: its certificates are certified and revoked there.</summary>
    public bool Issues(LoadedAuthority issuer) => !issuer.HasKey && _cas.Any(c => c.RawData.AsSpan().SequenceEqual(issuer.Certificate.RawData));

    /// <summary>
    /// Asks the upstream to certify <paramref name="publicKey"/> under <paramref name="subject"/>, vouching for the key
    /// (raVerified). The answer is checked and, when it does not pass, refused back to the CA before this throws.
    /// </summary>
    public async Task<(CmpPendingEnrollment Pending, LoadedAuthority Issuer)> EnrollAsync(X500DistinguishedName subject, PublicKey publicKey, string email,
        string? nip, CancellationToken cancellationToken)
    {
        CmpEntity entity = await KnownAsync(nip, email, cancellationToken) ? CmpEntity.Known : CmpEntity.New;
        CmpPendingEnrollment pending;
        try
        {
            pending = await _client.RequestAsync(subject, publicKey, email, entity, cancellationToken);
        }
        catch (CmpException e)
        {
            throw Failed(e);
        }
        X509Certificate2 certificate = pending.Result.Certificate;
        string? problem = _cas.FirstOrDefault(ca => SignedBy(certificate, ca)) is null
            ? "it is not signed by any of Upstream:CaCertificates"
            : certificate.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: true } ? "it is a CA certificate"
            : certificate.NotAfter.ToUniversalTime() <= _time.GetUtcNow() ? "it has already expired"
            : null;
        if (problem is not null)
        {
            await RefuseQuietlyAsync(pending, $"Segel's RA does not accept it: {problem}");
            throw SegelException.Refused(Localized.Of("Error.UpstreamCaCertificateRefused", problem));
        }
        X509Certificate2 issuerCertificate = _cas.First(ca => SignedBy(certificate, ca));
        return (pending, await AuthorityForAsync(issuerCertificate, cancellationToken));
    }

    /// <summary>
    /// Whether the upstream has certified this holder before — the employee with this NIP, or this e-mail address —
    /// so a renewal or re-issuance asks for an additional certificate (cr) rather than a first one (ir). Our own
    /// record decides, not what the upstream put into its certificates.
    /// </summary>
    private async Task<bool> KnownAsync(string? nip, string email, CancellationToken cancellationToken)
    {
        int[] upstream = [.. (await _ring.GetAllAsync(cancellationToken)).Where(a => !a.HasKey && a.Slug.StartsWith(SlugPrefix, StringComparison.Ordinal)).Select(a => a.Id)];
        if (upstream.Length == 0)
        {
            return false;
        }
        await using SegelDbContext db = _database.CreateContext();
        return await db.Certificates.AnyAsync(c => upstream.Contains(c.IssuerId)
            && (c.Email == email || (nip != null && db.Employees.Any(e => e.Id == c.EmployeeId && e.Nip == nip))), cancellationToken);
    }

    /// <summary>Asks the upstream to revoke a certificate it issued (rr).</summary>
    public async Task RevokeAsync(X509Certificate2 certificate, RevocationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await _client.RevokeAsync(certificate, reason, cancellationToken);
        }
        catch (CmpException e)
        {
            throw Failed(e);
        }
    }

    /// <summary>Refuses a certificate Segel will not keep; an upstream that cannot be told is left to expire it unconfirmed.</summary>
    public static async Task RefuseQuietlyAsync(CmpPendingEnrollment pending, string reason)
    {
        try
        {
            await pending.RefuseAsync(reason);
        }
        catch (CmpException)
        {
            // The CA did not hear the refusal; unconfirmed, it revokes the certificate itself (RFC 9483 §4.1.1).
        }
    }

    private static SegelException Failed(CmpException e) => e.Refused
        ? SegelException.Refused(Localized.Of("Error.UpstreamCaRefused", e.Message))
        : new SegelException(ErrorKind.NotReady, Localized.Of("Error.UpstreamCaCannotReachedGave", e.Message));

    private static bool SignedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(ca.SubjectName.RawData))
        {
            return false;
        }
        try
        {
            var bc = new Org.BouncyCastle.X509.X509Certificate(certificate.RawData);
            return bc.IsSignatureValid(new Org.BouncyCastle.X509.X509Certificate(ca.RawData).GetPublicKey());
        }
        catch (Exception e) when (e is Org.BouncyCastle.Security.Certificates.CertificateException or Org.BouncyCastle.Security.InvalidKeyException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The key-less authority for one of the upstream's CAs, added (with the CAs above it among the configured ones)
    /// the first time a certificate of it comes back. Two nodes adding it at once: the unique slug lets one win.
    /// </summary>
    private async Task<LoadedAuthority> AuthorityForAsync(X509Certificate2 ca, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            IReadOnlyList<LoadedAuthority> all = await _ring.GetAllAsync(cancellationToken);
            if (all.FirstOrDefault(a => !a.HasKey && a.Certificate.RawData.AsSpan().SequenceEqual(ca.RawData)) is { } known)
            {
                return known;
            }
            // The path up the configured certificates, root last; the top one is added first so each has its parent.
            List<X509Certificate2> path = [ca];
            while (path.Count < Pki.Validation.Conformance.MaxPathLength && !path[^1].SubjectName.RawData.AsSpan().SequenceEqual(path[^1].IssuerName.RawData)
                   && _cas.FirstOrDefault(c => SignedBy(path[^1], c)) is { } parent && !path.Contains(parent))
            {
                path.Add(parent);
            }
            try
            {
                await using SegelDbContext db = _database.CreateContext();
                int? parentId = null;
                DateTimeOffset now = _time.GetUtcNow().ToWholeSeconds();
                for (int i = path.Count - 1; i >= 0; i--)
                {
                    byte[] der = path[i].RawData;
                    AuthorityRecord? existing = await db.Authorities.AsNoTracking().Where(a => a.KeyUri == AuthorityRecord.OutsideKeyUri && a.CertificateDer == der)
                        .FirstOrDefaultAsync(cancellationToken);
                    if (existing is not null)
                    {
                        parentId = existing.Id;
                        continue;
                    }
                    AuthorityRecord record = OutsideKey.Record(SlugPrefix + Convert.ToHexStringLower(SHA256.HashData(der))[..12], AuthorityRole.OutsideCa, parentId, path[i], now);
                    db.Authorities.Add(record);
                    await db.SaveChangesAsync(cancellationToken);
                    parentId = record.Id;
                }
            }
            catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e) && attempt < 2)
            {
                // Another node added it first; read again.
            }
            _ring.Reset();
        }
    }

    private static string? Secret(UpstreamOptions options, string folder)
    {
        if (options.SecretFile is { Length: > 0 } file)
        {
            string path = Path.IsPathRooted(file) ? file : Path.Combine(folder, file);
            string secret = File.Exists(path) ? File.ReadAllText(path).Trim()
                : throw SegelException.Invalid("Upstream:SecretFile", Localized.Of("Error.SharedSecretFileNotExist", path));
            return secret.Length > 0 ? secret : throw SegelException.Invalid("Upstream:SecretFile", Localized.Of("Error.SharedSecretFileEmpty", path));
        }
        return string.IsNullOrEmpty(options.Secret) ? null : options.Secret;
    }

    private static List<X509Certificate2> Certificates(string? file, string folder, string field)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return [];
        }
        string path = Path.IsPathRooted(file) ? file : Path.Combine(folder, file);
        if (!File.Exists(path) || new FileInfo(path).Length > MaxFileBytes)
        {
            throw SegelException.Invalid(field, Localized.Of("Error.CertificateFileNotExistLarger", path));
        }
        var read = new X509Certificate2Collection();
        try
        {
            read.ImportFromPem(File.ReadAllText(path));
        }
        catch (CryptographicException)
        {
            read.Clear();
        }
        return read.Count > 0 ? [.. read] : throw SegelException.Invalid(field, Localized.Of("Error.CertificateFileHoldsNoReadable", path));
    }
}
