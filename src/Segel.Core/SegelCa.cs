using Segel.Core.Audit;
using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Storage;
using Segel.Pki.Keys;

namespace Segel.Core;

/// <summary>
/// The certificate authority's services wired together once. The CLI uses it directly; the server registers
/// the same objects in its container — one set of rules whichever door a request comes through.
/// </summary>
public sealed class SegelCa : IDisposable
{
    public SegelCa(SegelOptions options, string dataDirectory, IKeyStore keyStore, SegelSecrets secrets, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(secrets);
        Options = options;
        Time = time;
        AuditChain = secrets.AuditChain;
        PersonalData = secrets.PersonalData;
        Settings = new CaSettings(options);
        Database = new SegelDatabase(options.Database, dataDirectory, AuditChain);
        Ring = new AuthorityRing(Database, keyStore);
        Crls = new CrlPublisher(Database, Settings, time);
        Initializer = new CaInitializer(Database, keyStore, Settings, Ring, Crls, time);
        Issuance = new CertificateIssuance(Database, Ring, Settings, time);
        Revocation = new CertificateRevocation(Database, Ring, Crls, Events, time);
        Restoration = new Restoration(Database, Ring, Crls, Events, time);
        Queries = new CertificateQueries(Database, Ring, time);
        Certificates = new Certificates(Issuance, Revocation, Queries, Ring, time);
        PublishedRevocations = new PublishedRevocations(Database);
        StatusSource = new DatabaseStatusSource(Database, Ring, PublishedRevocations);
        ResponderRenewal = new ResponderRenewal(Database, keyStore, Settings, Ring, time);
        AuditCheckpoints = new AuditCheckpoints(Database, Ring, time);
        AuditVerifier = new AuditVerifier(Database, AuditChain, AuditCheckpoints);
        RegencySettings = new RegencySettingsStore(Database, options, time);
        Agencies = new Organization.AgencyRegistry(Database, time);
        EmployeeImport = new Organization.EmployeeImport(Database, PersonalData, RegencySettings, time);
        Users = new Accounts.UserAccounts(Database, PersonalData, new Accounts.PasswordHasher(), time, options.Ca.Organization);
        ApiTokens = new Accounts.ApiTokens(Database, time);
        Mail = new Notifications.SmtpMailSender(options.Smtp);
        Sessions = new Accounts.Sessions(Database, Users, time);
        Credentials = new Accounts.AccountCredentials(Database, Users, time);
        Outbox = new Notifications.MailOutbox(Database, Mail, PersonalData, time);
        var lifecycle = new Lifecycle.LifecycleContext(Database, time, Outbox, options, PersonalData, RegencySettings);
        HolderKeys = new Custody.HolderKeyVault(Database, secrets.HolderKeyPepper, secrets.HolderKeyCodeSeal, Settings, time);
        Agreements = new Lifecycle.SubscriberAgreements(Database, time);
        var signer = new Lifecycle.DecisionSigner(HolderKeys, Ring, time);
        Enrollments = new Lifecycle.Enrollments(lifecycle, HolderKeys, Agreements);
        Review = new Lifecycle.EnrollmentReview(lifecycle, signer, Issuance, Revocation, Ring);
        EnrollmentQueries = new Lifecycle.EnrollmentQueries(lifecycle);
        RevocationRequests = new Lifecycle.RevocationRequests(lifecycle, signer, Revocation, Ring);
        RevocationRequestQueries = new Lifecycle.RevocationRequestQueries(lifecycle);
        HolderStatuses = new Lifecycle.HolderStatuses(lifecycle);
        Reminders = new Lifecycle.RenewalReminders(lifecycle);
        Officers = new Lifecycle.OfficerBootstrap(lifecycle, HolderKeys, Issuance);
        Audit = new AuditQueries(Database, AuditVerifier, Ring);
        TimeStamps = new TimeStamping(Ring, Settings, time);
        Employees = new Organization.EmployeeDirectory(lifecycle);
        SigningCodes = new Signing.OneTimeCodes(lifecycle, secrets.OneTimeCodeMac);
        Signing = new Signing.RemoteSigning(this, SigningCodes);
        Signatures = new Signing.SignatureRecords(Database, time);
        PdfWork = new Signing.PdfWorkGate(options.Limits.PdfWorkers);
        Verification = new Signing.DocumentVerification(this);
        Health = new CaHealth(this);
        OwnKeys = new Custody.OwnKeys(Database, HolderKeys, Ring, PersonalData, time);
    }

    public CaHealth Health { get; }

    /// <summary>Direct issuance, revocation and reading, each checking its caller (see <see cref="Ca.Certificates"/>).</summary>
    public Certificates Certificates { get; }

    /// <summary>The newest published CRLs, read back (see <see cref="Ca.PublishedRevocations"/>).</summary>
    public PublishedRevocations PublishedRevocations { get; }

    /// <summary>A CA restored from a backup catches up with what happened since before it serves (see <see cref="Ca.Restoration"/>).</summary>
    public Restoration Restoration { get; }

    /// <summary>How many PDFs this node parses at once (see <see cref="Signing.PdfWorkGate"/>).</summary>
    public Signing.PdfWorkGate PdfWork { get; }

    public Organization.AgencyRegistry Agencies { get; }

    public Accounts.AccountCredentials Credentials { get; }

    /// <summary>E-mail domains and reminder days, changeable while Segel runs.</summary>
    public RegencySettingsStore RegencySettings { get; }

    public Custody.OwnKeys OwnKeys { get; }

    public Signing.DocumentVerification Verification { get; }

    public Signing.OneTimeCodes SigningCodes { get; }

    public Signing.RemoteSigning Signing { get; }

    public Signing.SignatureRecords Signatures { get; }

    public AuditQueries Audit { get; }

    public TimeStamping TimeStamps { get; }

    public Organization.EmployeeDirectory Employees { get; }

    public Accounts.Sessions Sessions { get; }

    public Notifications.MailOutbox Outbox { get; }

    public Custody.HolderKeyVault HolderKeys { get; }

    public Lifecycle.SubscriberAgreements Agreements { get; }

    public Lifecycle.Enrollments Enrollments { get; }

    public Lifecycle.EnrollmentReview Review { get; }

    public Lifecycle.EnrollmentQueries EnrollmentQueries { get; }

    public Lifecycle.RevocationRequests RevocationRequests { get; }

    public Lifecycle.RevocationRequestQueries RevocationRequestQueries { get; }

    public Lifecycle.HolderStatuses HolderStatuses { get; }

    public Lifecycle.RenewalReminders Reminders { get; }

    public Lifecycle.OfficerBootstrap Officers { get; }

    public SegelOptions Options { get; }

    public AuditChain AuditChain { get; }

    public Privacy.PersonalDataProtector PersonalData { get; }

    public TimeProvider Time { get; }

    public CaSettings Settings { get; }

    public SegelDatabase Database { get; }

    public AuthorityRing Ring { get; }

    public CrlPublisher Crls { get; }

    public CaInitializer Initializer { get; }

    public CertificateIssuance Issuance { get; }

    public CertificateRevocation Revocation { get; }

    public CertificateQueries Queries { get; }

    public DatabaseStatusSource StatusSource { get; }

    public ResponderRenewal ResponderRenewal { get; }

    public AuditVerifier AuditVerifier { get; }

    public AuditCheckpoints AuditCheckpoints { get; }

    public Organization.EmployeeImport EmployeeImport { get; }

    public Accounts.UserAccounts Users { get; }

    public Accounts.ApiTokens ApiTokens { get; }

    public Notifications.SmtpMailSender Mail { get; }

    public CaEvents Events { get; } = new();

    /// <summary>Brings the schema up to date and, when asked, creates the CA if there is none. Returns true if it created one.</summary>
    public async Task<bool> PrepareAsync(bool initializeIfMissing, Actor actor, CancellationToken cancellationToken = default)
    {
        await Database.MigrateAsync(cancellationToken);
        // Data stored in clear by versions before sealing at rest (documents, mail bodies) is sealed now.
        await Lifecycle.DocumentSealing.SealLegacyAsync(Database, PersonalData, cancellationToken);
        await Outbox.SealLegacyAsync(cancellationToken);
        if (!initializeIfMissing || await Ring.IsInitializedAsync(cancellationToken))
        {
            return false;
        }
        try
        {
            await Initializer.InitializeAsync(actor, cancellationToken);
            return true;
        }
        catch (Errors.SegelException e) when (e.Kind == Errors.ErrorKind.Conflict)
        {
            Ring.Reset();
            return false;
        }
    }

    public void Dispose()
    {
        Ring.Dispose();
        PdfWork.Dispose();
    }
}
