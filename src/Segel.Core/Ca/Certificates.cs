using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>A certificate as its readers see it: serial, issuer, holder, validity and status now.</summary>
public sealed record CertificateView(string Serial, string Issuer, string Profile, string Subject, string? Email,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Status, DateTimeOffset? RevokedAt, string? RevocationReason, string? Pem)
{
    /// <summary>The holder's name (the subject's CN), for the console's one-line listing.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string CommonName { get; init; } = "";

    internal static CertificateView Of(CertificateRecord record, string issuerSlug, DateTimeOffset now, bool includePem) =>
        new(record.SerialHex, issuerSlug, record.Profile, record.SubjectDn, record.Email, record.NotBefore, record.NotAfter, record.StatusAt(now),
            record.RevokedAt, record.RevocationReason is int code ? ((RevocationReason)code).ToRfcName() : null,
            includePem ? System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", record.Der) + "\n" : null)
        {
            CommonName = record.CommonName,
        };
}

/// <summary>A TLS server certificate just issued: its view, the certificate followed by its CAs below the root (PEM, as web servers take it), and the key when Segel made it.</summary>
public sealed record TlsServerCertificate(CertificateView Certificate, string ChainPem, string? PrivateKeyPem);

/// <summary>
/// The certificates feature as the doors use it (<c>/api/v1/certificates</c>, <c>segel cert</c>): issuance outside
/// the RA flow (only for an employee on file, with a written reason: <see cref="DirectIssuance"/>), direct
/// revocation, listing and reading. Every operation takes the caller and checks it here, so
/// the HTTP adapter only authenticates: an API token needs the operation's scope, people qualify by role
/// (readers: RA officers, auditors, policy administrators), administrators always. The RA's own issuance and
/// revocation (applications, revocation requests) go through the lifecycle services, not this one.
/// </summary>
public sealed class Certificates
{
    /// <summary>People who may read certificates without a token scope.</summary>
    public const Role Readers = Role.RaOfficer | Role.Auditor | Role.PolicyAdmin;

    /// <summary>The shortest written reason for issuing outside the RA flow.</summary>
    public const int MinReasonLength = DirectIssuance.MinReasonLength;

    private readonly CertificateIssuance _issuance;
    private readonly DirectIssuance _direct;
    private readonly CertificateRevocation _revocation;
    private readonly CertificateQueries _queries;
    private readonly AuthorityRing _ring;
    private readonly TimeProvider _time;

    internal Certificates(CertificateIssuance issuance, DirectIssuance direct, CertificateRevocation revocation, CertificateQueries queries, AuthorityRing ring,
        TimeProvider time)
    {
        _issuance = issuance;
        _direct = direct;
        _revocation = revocation;
        _queries = queries;
        _ring = ring;
        _time = time;
    }

    /// <summary>
    /// Issues from a PEM CSR for the employee <paramref name="details"/> names by NIP; the register fills the
    /// subject, and <paramref name="reason"/> says why this goes around the RA.
    /// </summary>
    public async Task<CertificateView> IssueFromCsrAsync(Principal by, string? csrPem, string? profile, HolderDetails details, string? reason, string? origin,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.RequireScope(ApiScopes.CertificatesIssue, Role.None, "issue-certificates");
        if (string.IsNullOrWhiteSpace(csrPem))
        {
            throw SegelException.Invalid("csr", Localized.Of("Error.PemCertificateSigningRequestRequired"));
        }
        CertificateProfile parsed = CertificateStatusText.ParseHolderProfile(profile);
        SigningRequest request = CertificateIssuance.ParseCsr(Encoding.ASCII.GetBytes(csrPem));
        (HolderDetails holder, IssuanceGrounds grounds) = await _direct.ResolveAsync(details, reason, cancellationToken);
        IssuedCertificate issued = await _issuance.IssueFromCsrAsync(request, holder, parsed, by.ToActor(origin), grounds, cancellationToken);
        return await ViewAsync(issued.Record, includePem: true, cancellationToken);
    }

    /// <summary>Issues with a key generated here, returned sealed in a PKCS#12 under <paramref name="password"/> (the console's <c>segel cert issue --p12</c>).</summary>
    public async Task<(CertificateView Certificate, byte[] Pkcs12)> IssueWithGeneratedKeyAsync(Principal by, HolderDetails details, string? profile, string password,
        string? reason, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.RequireScope(ApiScopes.CertificatesIssue, Role.None, "issue-certificates");
        CertificateProfile parsed = CertificateStatusText.ParseHolderProfile(profile);
        (HolderDetails holder, IssuanceGrounds grounds) = await _direct.ResolveAsync(details, reason, cancellationToken);
        (IssuedCertificate issued, byte[] pkcs12) = await _issuance.IssueWithGeneratedKeyAsync(holder, parsed, password, by.ToActor(origin), grounds,
            cancellationToken);
        return (await ViewAsync(issued.Record, includePem: true, cancellationToken), pkcs12);
    }

    /// <summary>
    /// Issues a TLS server certificate for the regency's own hosts (<c>segel cert tls</c>): from a PEM CSR, whose key
    /// stays with the web server, or with an ECDSA P-256 key made here and returned once in PKCS#8 PEM. Administrators
    /// only (or a token with the issuing scope); recorded and audited like every certificate, revoked the same way.
    /// </summary>
    public async Task<TlsServerCertificate> IssueTlsServerAsync(Principal by, IReadOnlyList<string> hosts, string? csrPem, string? origin,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(hosts);
        by.RequireScope(ApiScopes.CertificatesIssue, Role.None, "issue-tls-server-certificates");
        using ECDsa? generated = csrPem is null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        PublicKey publicKey = generated is not null ? new PublicKey(generated) : CertificateIssuance.ParseCsr(Encoding.ASCII.GetBytes(csrPem!)).PublicKey;
        IssuedCertificate issued = await _issuance.IssueTlsServerAsync(publicKey, hosts, by.ToActor(origin), generated is null ? "csr" : "generated-key",
            cancellationToken);
        var chain = new StringBuilder(PemEncoding.WriteString("CERTIFICATE", issued.Certificate.RawData)).Append('\n');
        foreach (X509Certificate2 ca in await _ring.ChainFromAsync(issued.Record.IssuerId, cancellationToken))
        {
            // Servers send the chain up to, not including, the root the client already trusts (RFC 8446 §4.4.2).
            if (ca.SubjectName.RawData.AsSpan().SequenceEqual(ca.IssuerName.RawData))
            {
                continue;
            }
            chain.Append(PemEncoding.WriteString("CERTIFICATE", ca.RawData)).Append('\n');
        }
        return new TlsServerCertificate(await ViewAsync(issued.Record, includePem: true, cancellationToken), chain.ToString(),
            generated is null ? null : generated.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>Revokes at once (final); <paramref name="reason"/> is an RFC 5280 reason name.</summary>
    public async Task<CertificateView> RevokeAsync(Principal by, string serial, string? reason, string? issuer, string? origin,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.RequireScope(ApiScopes.CertificatesRevoke, Role.None, "revoke-certificates-directly");
        if (!RevocationReasons.TryParse(reason, out RevocationReason parsed))
        {
            throw SegelException.Invalid("reason", Localized.Of("Error.UnknownRevocationReasonUse", reason, RevocationReasons.AllowedNames));
        }
        CertificateRecord revoked = await _revocation.RevokeAsync(serial, parsed, by.ToActor(origin), issuer, cancellationToken);
        return await ViewAsync(revoked, includePem: false, cancellationToken);
    }

    public async Task<IReadOnlyList<CertificateView>> ListAsync(Principal by, string? status, string? search, int skip, int take,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.RequireScope(ApiScopes.CertificatesRead, Readers, "read-certificates");
        CertificateFilter filter = string.IsNullOrEmpty(status) ? CertificateFilter.All
            : Enum.TryParse(status, true, out CertificateFilter parsed) && Enum.IsDefined(parsed) ? parsed
            : throw SegelException.Invalid("status", Localized.Of("Error.StatusAllValidRevokedExpired"));
        IReadOnlyList<CertificateRecord> records = await _queries.ListAsync(filter, search, skip, take, cancellationToken);
        var views = new List<CertificateView>(records.Count);
        foreach (CertificateRecord record in records)
        {
            views.Add(await ViewAsync(record, includePem: false, cancellationToken));
        }
        return views;
    }

    public async Task<CertificateView> GetAsync(Principal by, string serial, string? issuer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.RequireScope(ApiScopes.CertificatesRead, Readers, "read-certificates");
        return await ViewAsync(await _queries.GetAsync(serial, issuer, cancellationToken), includePem: true, cancellationToken);
    }

    private async Task<CertificateView> ViewAsync(CertificateRecord record, bool includePem, CancellationToken cancellationToken)
    {
        LoadedAuthority? issuer = await _ring.FindByIdAsync(record.IssuerId, cancellationToken);
        return CertificateView.Of(record, issuer?.Slug ?? "?", _time.GetUtcNow(), includePem);
    }
}
