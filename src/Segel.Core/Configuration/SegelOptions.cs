namespace Segel.Core.Configuration;

/// <summary>Segel's configuration: <c>segel.json</c> in the data folder, overridden by <c>SEGEL_</c> environment variables.</summary>
public sealed class SegelOptions
{
    public const string FileName = "segel.json";

    /// <summary>The URL relying parties reach Segel at; it is written into every certificate (CRL, OCSP, CA issuers, CPS).</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// A demonstration regency made by <c>segel demo</c>: with no mail server, the portal shows every signed-in person the
    /// notices waiting in the outbox (confirmation codes and invitation links included), marked as a demonstration.
    /// Never set it on a real installation.
    /// </summary>
    public bool Demonstration { get; set; }

    /// <summary>Base64 of 32 random bytes. Prefer the SEGEL_MASTER_KEY environment variable; else <c>master.key</c> in the data folder is used.</summary>
    public string? MasterKey { get; set; }

    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Domains official e-mail addresses must be on (Pasal 14(f)). Unset means <c>tanahbumbukab.go.id</c>.</summary>
    public string[]? EmailDomains { get; set; }

    /// <summary>The configured domains, normalised (lower case, no '@'), or the default when none are set.</summary>
    public static IReadOnlyList<string> EffectiveEmailDomains(IEnumerable<string>? configured) =>
        configured?.Select(d => d.Trim().TrimStart('@').ToLowerInvariant()).Where(d => d.Length > 0).ToArray() is { Length: > 0 } domains
            ? domains
            : ["tanahbumbukab.go.id"];

    public CaOptions Ca { get; set; } = new();

    /// <summary>
    /// Outside roots trusted beside Segel's own (the national root, say): PEM files, paths from the data folder. Signatures
    /// and certificates chaining to one verify on the public page, the API and the CLI's checks with <c>--data</c>.
    /// </summary>
    public string[]? TrustAnchors { get; set; }

    /// <summary>
    /// ETSI TS 119 612 trusted lists whose CA services are trusted beside <see cref="TrustAnchors"/>: each a URL and the PEM
    /// file of the certificate that signs the list (pinned). Fetched when first needed and hourly after.
    /// </summary>
    public TrustedListOptions[]? TrustedLists { get; set; }

    /// <summary>
    /// The national CA's contact address, to which complaints about an RA officer are forwarded (Pasal 16(6)); changeable
    /// while Segel runs in the settings. Unset, nothing can be forwarded until it is set.
    /// </summary>
    public string? NationalCaEmail { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The LDAP directory mail clients find holders' certificates in (issue 23.4); unset, none is published.</summary>
    public DirectoryOptions Directory { get; set; } = new();

    /// <summary>An upstream CA Segel's RA sends approved applications to (issue 21.2); unset, Segel's own issuing CA signs.</summary>
    public UpstreamOptions Upstream { get; set; } = new();

    public LifecycleOptions Lifecycle { get; set; } = new();

    public LimitOptions Limits { get; set; } = new();

    public SignOnOptions SignOn { get; set; } = new();

    public HttpsOptions Https { get; set; } = new();

    public LogOptions Log { get; set; } = new();

    /// <summary>
    /// Reverse proxies (addresses or CIDR networks) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed:
    /// then rate limits count the client's address, the audit records it, and cookies are <c>Secure</c> behind a TLS proxy.
    /// Unset: those headers are ignored (anyone could send them).
    /// </summary>
    public string[]? Proxies { get; set; }
}

/// <summary>Limits on what one caller may ask of the HTTP API.</summary>
public sealed class LimitOptions
{
    /// <summary>Sign-in attempts per minute from one address (the holder's confirmation endpoint allows twice this).</summary>
    public int SignInPerMinute { get; set; } = 20;

    /// <summary>Signing requests per minute from one integrating application.</summary>
    public int SigningPerMinute { get; set; } = 600;

    /// <summary>The largest PDF accepted for signing or verification, in MiB.</summary>
    public int PdfMegabytes { get; set; } = 25;

    /// <summary>How many times its own size a PDF may expand when its streams are decompressed (at least 16 MiB).</summary>
    public int InflateRatio { get; set; } = 20;

    /// <summary>The most a PDF may expand to when decompressed, in MiB, however large it is.</summary>
    public int InflateMegabytes { get; set; } = 256;

    /// <summary>PDFs parsed, verified or signed at once on this node; more wait their turn (0: one per processor).</summary>
    public int PdfWorkers { get; set; }

    public Segel.Pdf.Parsing.PdfReadLimits PdfReadLimits() => new()
    {
        Ratio = Math.Max(1, InflateRatio),
        CapBytes = (long)Math.Max(1, InflateMegabytes) * 1024 * 1024,
        FloorBytes = Math.Min(16L * 1024 * 1024, (long)Math.Max(1, InflateMegabytes) * 1024 * 1024),
    };
}

/// <summary>Timings of the registration workflow.</summary>
public sealed class LifecycleOptions
{
    /// <summary>Days before expiry on which holders are reminded to renew (Pasal 18). Unset means 30, 14, 7 and 1.</summary>
    public int[]? ReminderDays { get; set; }

    /// <summary>How long the e-mail confirmation code sent to a holder stays valid.</summary>
    public int ConfirmationCodeHours { get; set; } = 72;

    /// <summary>Days after a certificate's revocation its kept private key is destroyed (Pasal 19(g)); 0: at once.</summary>
    public int DestroyRevokedKeysAfterDays { get; set; }

    /// <summary>
    /// Days after a certificate's expiry its kept private key is destroyed: a grace in which documents encrypted to the
    /// certificate can still be opened. Default a year.
    /// </summary>
    public int DestroyExpiredKeysAfterDays { get; set; } = 365;

    public IReadOnlyList<int> EffectiveReminderDays() =>
        ReminderDays is { Length: > 0 } days ? days.Where(d => d > 0).Distinct().OrderDescending().ToArray() : [30, 14, 7, 1];
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>For sqlite, empty means <c>segel.db</c> in the data folder.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Upgrade an existing database's schema when a new release starts. Off: the release refuses to start until
    /// <c>segel migrate</c> (which takes a backup first) has run. A new database is created either way.
    /// </summary>
    public bool MigrateOnStart { get; set; }
}

public sealed class CaOptions
{
    /// <summary>
    /// Where relying parties fetch OCSP, CRLs and CA certificates, as written into every certificate. Empty: the
    /// PublicBaseUrl, over plain HTTP when that is https on port 443 (validators fetch revocation data over HTTP).
    /// </summary>
    public string? RelyingPartyBaseUrl { get; set; }

    /// <summary>A PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so): CA, OCSP and TSA keys are then made in the HSM.</summary>
    public string? Pkcs11Library { get; set; }

    /// <summary>The label of the HSM token holding Segel's keys.</summary>
    public string? Pkcs11Token { get; set; }

    /// <summary>A file holding the token's user PIN (or set SEGEL_PKCS11_PIN); never in segel.json itself.</summary>
    public string? Pkcs11PinFile { get; set; }

    /// <summary>
    /// Keep the master key (which seals software keys, holders' keys, the NIK and the audit chain's key) on the HSM
    /// as a non-extractable secret, made at the first start; then there is no master.key file. Chosen once, before
    /// the first start: data sealed under one master key does not open under another.
    /// </summary>
    public bool Pkcs11MasterKey { get; set; }

    public string Organization { get; set; } = "Pemerintah Kabupaten Tanah Bumbu";

    public string Country { get; set; } = "ID";

    public string RootName { get; set; } = "Segel Root CA";

    public string IssuingName { get; set; } = "Segel Issuing CA";

    /// <summary>
    /// The certificate policy OID. The default is a UUID-derived OID (ITU-T X.667, arc 2.25) that needs no
    /// registration; a regency with its own arc should set it before the first certificate is issued.
    /// </summary>
    public string PolicyOid { get; set; } = "2.25.215063957532898458307346003738233469701";

    /// <summary>The time-stamping policy OID (RFC 3161); like <see cref="PolicyOid"/> a registration-free UUID OID by default.</summary>
    public string TsaPolicyOid { get; set; } = "2.25.40839512174166977380677683069637647708";

    /// <summary>
    /// The issuing CA is certified by an outside root (the national CA's) instead of a root of Segel's own: the first
    /// start makes only the issuing CA's key and a request for it, and <c>segel ca install</c> brings its certificate.
    /// </summary>
    public bool ExternalRoot { get; set; }

    public string RootAlgorithm { get; set; } = "rsa4096";

    public string IssuingAlgorithm { get; set; } = "rsa3072";

    public string OcspAlgorithm { get; set; } = "ecdsa-p256";

    public string TsaAlgorithm { get; set; } = "rsa3072";

    /// <summary>Holder keys Segel generates (RSA 2048 for the widest S/MIME and PDF reader support).</summary>
    public string SubscriberAlgorithm { get; set; } = "rsa2048";

    public int RootValidityYears { get; set; } = 20;

    public int IssuingValidityYears { get; set; } = 10;

    /// <summary>
    /// The issuing CA is rolled over (a new key and certificate from the root) when its remaining life drops below the
    /// holders' two years plus this many days, so a two-year certificate can always be issued.
    /// </summary>
    public int IssuingRolloverMarginDays { get; set; } = 180;

    public int OcspResponderValidityDays { get; set; } = 365;

    public int TsaValidityYears { get; set; } = 6;

    /// <summary>nextUpdate − thisUpdate of each CRL.</summary>
    public int CrlValidityHours { get; set; } = 7 * 24;

    /// <summary>A new CRL is published when the current one is this old, even with no new revocation.</summary>
    public int CrlRefreshHours { get; set; } = 24;

    public int OcspResponseValidityHours { get; set; } = 24;
}

/// <summary>One trusted list: where it is published and who signs it.</summary>
public sealed class TrustedListOptions
{
    public string? Url { get; set; }

    /// <summary>The PEM file (a path from the data folder) of the certificate the list must be signed by.</summary>
    public string? Signer { get; set; }
}

/// <summary>
/// The upstream CA for the RA-only way to run (the national CA, or an EJBCA): approved applications go there over CMP
/// (RFC 9483) instead of to Segel's own issuing CA; Segel keeps its own CA for its TSA and services.
/// </summary>
public sealed class UpstreamOptions
{
    /// <summary><c>cmp</c>, or unset for none.</summary>
    public string? Protocol { get; set; }

    /// <summary>The CMP endpoint, e.g. EJBCA's <c>https://ca.example/ejbca/publicweb/cmp/segel</c>.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// PEM file (a path from the data folder) of the upstream's CA certificates: the CA that signs holders' certificates
    /// (more than one across its rollovers), and up to its root. What comes back must be signed by one of them; a
    /// self-signed one among them is trusted for verification like a <c>TrustAnchors</c> entry.
    /// </summary>
    public string? CaCertificates { get; set; }

    /// <summary>The CA's name as the messages' recipient; unset, the subject of the first certificate in <see cref="CaCertificates"/>.</summary>
    public string? Recipient { get; set; }

    /// <summary>Segel's name as the messages' sender (EJBCA's RA mode ignores it when a secret identifies the RA).</summary>
    public string? Sender { get; set; }

    /// <summary>The reference the upstream gave with the shared secret (senderKID; EJBCA: the CMP alias's RA name or "keyId").</summary>
    public string? Reference { get; set; }

    /// <summary>The shared secret (password-based MAC both ways); prefer <see cref="SecretFile"/> or SEGEL_Upstream__Secret.</summary>
    public string? Secret { get; set; }

    /// <summary>A file holding the shared secret (a path from the data folder).</summary>
    public string? SecretFile { get; set; }

    /// <summary>PEM files of certificates trusted to sign the upstream's answers, when it signs instead of using the MAC.</summary>
    public string[]? ResponderCertificates { get; set; }

    /// <summary>Seconds one CMP exchange may take.</summary>
    public int TimeoutSeconds { get; set; } = 30;
}
