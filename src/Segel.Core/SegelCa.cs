using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Core.Operations;
using Segel.Core.Settings;
using Segel.Core.Signing;
using Segel.Core.Storage;
using Segel.Core.Supervision;
using Segel.Pki.Keys;

namespace Segel.Core;

/// <summary>
/// The composition root: the core's services built once, by hand and in one place (as step-ca wires its
/// authority). Nothing on it is public: adapters get the feature services <see cref="SegelCoreServices.AddSegelCore"/>
/// registers from it, and only tests (through InternalsVisibleTo) reach the parts. The type stays public so a test
/// helper may hand one around.
/// </summary>
public sealed class SegelCa : IDisposable
{
    internal SegelCa(SegelOptions options, string dataDirectory, IKeyStore keyStore, SegelSecrets secrets, TimeProvider time)
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
        Subordinate = new SubordinateCa(Database, keyStore, Settings, Ring, Crls, time);
        Upstream = UpstreamCa.Create(options.Upstream, dataDirectory, Database, Ring, time);
        Issuance = new CertificateIssuance(Database, Ring, Settings, time, Upstream);
        Revocation = new CertificateRevocation(Database, Ring, Crls, Events, time, Upstream);
        UpstreamStatus = new UpstreamStatus(Database, Ring, Upstream, Revocation, time);
        Restoration = new Restoration(Database, Ring, Crls, Events, time);
        Queries = new CertificateQueries(Database, Ring, time);
        RegencySettings = new RegencySettingsStore(Database, options, time);
        Certificates = new Certificates(Issuance, new DirectIssuance(Database, RegencySettings, time), Revocation, Queries, Ring, time);
        PublishedRevocations = new PublishedRevocations(Database);
        StatusSource = new DatabaseStatusSource(Database, Ring, PublishedRevocations);
        ResponderRenewal = new ResponderRenewal(Database, keyStore, Settings, Ring, Crls, time);
        AuditCheckpoints = new AuditCheckpoints(Database, Ring, time);
        AuditVerifier = new AuditVerifier(Database, AuditChain, AuditCheckpoints);
        Agencies = new Organization.AgencyRegistry(Database, time);
        Users = new Accounts.UserAccounts(Database, PersonalData, new Accounts.PasswordHasher(), time, options.Ca.Organization);
        ApiTokens = new Accounts.ApiTokens(Database, time);
        Mail = new Notifications.SmtpMailSender(options.Smtp);
        Sessions = new Accounts.Sessions(Database, Users, new Accounts.ProviderSignIn(Database, Users, options.SignOn, time), time);
        Credentials = new Accounts.AccountCredentials(Database, Users, time);
        Outbox = new Notifications.MailOutbox(Database, Mail, PersonalData, time, options.Demonstration);
        Database.BreachNotice = new Notifications.IntegrityAlarmMail(Outbox, options.Ca.Organization);
        var lifecycle = new Lifecycle.LifecycleContext(Database, time, Outbox, options, PersonalData, RegencySettings);
        HolderKeys = new Custody.HolderKeyVault(Database, secrets.HolderKeyPepper, secrets.HolderKeyCodeSeal, Settings, time);
        KeyRecoveryRequests = new Custody.KeyRecoveryRequests(Database, HolderKeys, PersonalData,
            new Custody.KeyRecoveryNotices(Outbox, options.PublicBaseUrl, options.Ca.Organization), time);
        KeyDestruction = new Custody.KeyDestruction(Database, options.Lifecycle, KeyRecoveryRequests, time);
        KeyRecovery = new Custody.KeyRecoverySetup(Database, Settings, time);
        Agreements = new Lifecycle.SubscriberAgreements(Database, time);
        var signer = new Lifecycle.DecisionSigner(HolderKeys, Ring, time);
        Enrollments = new Lifecycle.Enrollments(lifecycle, HolderKeys, Agreements, Issuance.IssuesPairs);
        Invitations = new Accounts.Invitations(Database, Users, Outbox, options.PublicBaseUrl, options.Ca.Organization, time);
        EmployeeImport = new Organization.EmployeeImport(Database, PersonalData, RegencySettings, Invitations, Outbox, new Lifecycle.RevocationProposals(lifecycle), time);
        Review = new Lifecycle.EnrollmentReview(lifecycle, signer, Issuance, Revocation, Ring, Invitations);
        Seals = new Seals.InstitutionalSeals(Database, Issuance, signer, PersonalData, Settings, time);
        EnrollmentQueries = new Lifecycle.EnrollmentQueries(lifecycle);
        RevocationRequests = new Lifecycle.RevocationRequests(lifecycle, signer, Revocation, Ring);
        RevocationRequestQueries = new Lifecycle.RevocationRequestQueries(lifecycle);
        HolderStatuses = new Lifecycle.HolderStatuses(lifecycle);
        Reminders = new Lifecycle.RenewalReminders(lifecycle);
        Officers = new Lifecycle.OfficerBootstrap(lifecycle, HolderKeys, Issuance, Ring);
        Audit = new AuditQueries(Database, AuditVerifier, Ring);
        TimeStamps = new TimeStamping(Ring, Settings, time);
        TransparencyLog = new TransparencyLog(Database, Ring, TimeStamps, time);
        TransparencyLogVerifier = new TransparencyLogVerifier(Database, Ring);
        Reports = new PeriodReports(Database, AuditVerifier, time);
        Employees = new Organization.EmployeeDirectory(lifecycle);
        SigningCodes = new Signing.OneTimeCodes(lifecycle, secrets.OneTimeCodeMac);
        Signatures = new Signing.SignatureRecords(Database, time);
        PdfWork = new Signing.PdfWorkGate(options.Limits.PdfWorkers);
        StatusTables = new StatusSnapshots(Database, Ring, PublishedRevocations, StatusSource, time);
        Responders = new OcspResponders(Ring, Settings, StatusTables, time);
        Ocsp = new OcspService(Responders, StatusTables, Events);
        LocalRevocation = new LocalRevocation(Responders, Ring, Crls);
        Authorities = new Authorities(Ring);
        var signingParts = new Signing.SigningParts(Database, Ring, Queries, HolderKeys, HolderStatuses, TimeStamps, LocalRevocation, PdfWork,
            PersonalData, options.Limits, options.PublicBaseUrl, time);
        Signing = new Signing.RemoteSigning(signingParts, SigningCodes);
        Recipients = new Recipients.RecipientDirectory(Queries, time);
        Envelopes = new Signing.DocumentEnvelopes(signingParts, Recipients, Outbox);
        ReportSigning = new ReportSigning(Reports, Signing, Database);
        Findings = new Findings(Database, time);
        ScheduledReports = new ScheduledReports(Database, Reports, Outbox, options.Ca.Organization, options.PublicBaseUrl, time);
        Complaints = new Complaints(Database, PersonalData, Outbox, RegencySettings, options.Ca.Organization, options.PublicBaseUrl, time);
        Anchors = new TrustAnchors(Ring, [.. TrustAnchors.Load(options.TrustAnchors, dataDirectory), .. Upstream?.Roots ?? []], TrustAnchors.LoadLists(options.TrustedLists, dataDirectory), time);
        Verification = new Signing.DocumentVerification(PdfWork, options.Limits, Anchors, LocalRevocation, Signatures, time);
        Extension = new Signing.DocumentExtension(Verification, PdfWork, options.Limits, Anchors, LocalRevocation, TimeStamps, time);
        Health = new CaHealth(Database, Ring, Crls, Settings, Mail, PdfWork, Anchors, time, UpstreamStatus, options.Directory);
        OwnKeys = new OwnKeys(Database, HolderKeys, Ring, PersonalData, time);
        DirectoryPublishing = new Recipients.DirectoryPublishing(Database, options.Directory, Events, time);
    }

    /// <summary>Encrypting documents to colleagues and opening them with a kept key (see <see cref="Signing.DocumentEnvelopes"/>).</summary>
    internal Signing.DocumentEnvelopes Envelopes { get; }

    /// <summary>Holders' certificates published to the LDAP directory mail clients read (see <see cref="Recipients.DirectoryPublishing"/>).</summary>
    internal Recipients.DirectoryPublishing DirectoryPublishing { get; }

    /// <summary>The directory search of the portal and the API (see <see cref="Recipients.RecipientDirectory"/>).</summary>
    internal Recipients.RecipientDirectory Recipients { get; }

    internal CaHealth Health { get; }

    /// <summary>The upstream CA holders' certificates come from in the RA-only way to run; null when Segel's own CA issues them.</summary>
    internal UpstreamCa? Upstream { get; }

    /// <summary>Keeps the record of the upstream's certificates in step with the upstream's status (see <see cref="Ca.UpstreamStatus"/>).</summary>
    internal UpstreamStatus UpstreamStatus { get; }

    /// <summary>Segel's own roots and the outside ones configured (see <see cref="Ca.TrustAnchors"/>).</summary>
    internal TrustAnchors Anchors { get; }

    /// <summary>Pasal 25's supervision reports, as figures for a period (see <see cref="PeriodReports"/>).</summary>
    internal PeriodReports Reports { get; }

    /// <summary>The report as a PDF, signed by the head of the cryptography agency (see <see cref="Supervision.ReportSigning"/>).</summary>
    internal ReportSigning ReportSigning { get; }

    /// <summary>The half-yearly and yearly reports generated on schedule (see <see cref="Supervision.ScheduledReports"/>).</summary>
    internal ScheduledReports ScheduledReports { get; }

    /// <summary>The evaluation record: findings and their follow-up (see <see cref="Supervision.Findings"/>).</summary>
    internal Findings Findings { get; }

    /// <summary>Complaints from holders and the public (see <see cref="Supervision.Complaints"/>).</summary>
    internal Complaints Complaints { get; }

    internal OcspResponders Responders { get; }

    internal OcspService Ocsp { get; }

    internal LocalRevocation LocalRevocation { get; }

    internal Authorities Authorities { get; }

    /// <summary>Direct issuance, revocation and reading, each checking its caller (see <see cref="Ca.Certificates"/>).</summary>
    internal Certificates Certificates { get; }

    /// <summary>The newest published CRLs, read back (see <see cref="Ca.PublishedRevocations"/>).</summary>
    internal PublishedRevocations PublishedRevocations { get; }

    /// <summary>A CA restored from a backup catches up with what happened since before it serves (see <see cref="Ca.Restoration"/>).</summary>
    internal Restoration Restoration { get; }

    /// <summary>How many PDFs this node parses at once (see <see cref="Signing.PdfWorkGate"/>).</summary>
    internal Signing.PdfWorkGate PdfWork { get; }

    internal Organization.AgencyRegistry Agencies { get; }

    internal Accounts.AccountCredentials Credentials { get; }

    /// <summary>Holders' accounts made for them, opened by a single-use link (see <see cref="Accounts.Invitations"/>).</summary>
    internal Accounts.Invitations Invitations { get; }

    /// <summary>Destroys kept private keys of revoked and long-expired certificates (Pasal 19(g)).</summary>
    internal Custody.KeyDestruction KeyDestruction { get; }

    internal Custody.KeyRecoverySetup KeyRecovery { get; }

    internal Custody.KeyRecoveryRequests KeyRecoveryRequests { get; }

    internal Seals.InstitutionalSeals Seals { get; }

    /// <summary>E-mail domains and reminder days, changeable while Segel runs.</summary>
    internal RegencySettingsStore RegencySettings { get; }

    internal OwnKeys OwnKeys { get; }

    internal Signing.DocumentVerification Verification { get; }

    /// <summary>Signed PDFs extended to PAdES B-LTA (see <see cref="Signing.DocumentExtension"/>).</summary>
    internal Signing.DocumentExtension Extension { get; }

    internal Signing.OneTimeCodes SigningCodes { get; }

    internal Signing.RemoteSigning Signing { get; }

    internal Signing.SignatureRecords Signatures { get; }

    internal AuditQueries Audit { get; }

    internal TimeStamping TimeStamps { get; }

    internal Organization.EmployeeDirectory Employees { get; }

    internal Accounts.Sessions Sessions { get; }

    internal Notifications.MailOutbox Outbox { get; }

    internal Custody.HolderKeyVault HolderKeys { get; }

    internal Lifecycle.SubscriberAgreements Agreements { get; }

    internal Lifecycle.Enrollments Enrollments { get; }

    internal Lifecycle.EnrollmentReview Review { get; }

    internal Lifecycle.EnrollmentQueries EnrollmentQueries { get; }

    internal Lifecycle.RevocationRequests RevocationRequests { get; }

    internal Lifecycle.RevocationRequestQueries RevocationRequestQueries { get; }

    internal Lifecycle.HolderStatuses HolderStatuses { get; }

    internal Lifecycle.RenewalReminders Reminders { get; }

    internal Lifecycle.OfficerBootstrap Officers { get; }

    internal SegelOptions Options { get; }

    internal AuditChain AuditChain { get; }

    internal Privacy.PersonalDataProtector PersonalData { get; }

    internal TimeProvider Time { get; }

    internal CaSettings Settings { get; }

    internal SegelDatabase Database { get; }

    internal AuthorityRing Ring { get; }

    internal CrlPublisher Crls { get; }

    internal CaInitializer Initializer { get; }

    /// <summary>The issuing CA under an outside root (see <see cref="Ca.SubordinateCa"/>).</summary>
    internal SubordinateCa Subordinate { get; }

    internal CertificateIssuance Issuance { get; }

    internal CertificateRevocation Revocation { get; }

    internal CertificateQueries Queries { get; }

    internal DatabaseStatusSource StatusSource { get; }

    internal StatusSnapshots StatusTables { get; }

    internal ResponderRenewal ResponderRenewal { get; }

    internal AuditVerifier AuditVerifier { get; }

    internal AuditCheckpoints AuditCheckpoints { get; }

    internal TransparencyLog TransparencyLog { get; }

    internal TransparencyLogVerifier TransparencyLogVerifier { get; }

    internal Organization.EmployeeImport EmployeeImport { get; }

    internal Accounts.UserAccounts Users { get; }

    internal Accounts.ApiTokens ApiTokens { get; }

    internal Notifications.SmtpMailSender Mail { get; }

    internal CaEvents Events { get; } = new();

    /// <summary>Brings the schema up to date and, when asked, creates the CA if there is none. Returns true if it created one.</summary>
    internal async Task<bool> PrepareAsync(bool initializeIfMissing, Actor actor, CancellationToken cancellationToken = default)
    {
        await Database.MigrateAsync(Options.Database.MigrateOnStart, cancellationToken);
        // Data stored in clear by versions before sealing at rest (documents, mail bodies) is sealed now.
        await Lifecycle.DocumentSealing.SealLegacyAsync(Database, PersonalData, cancellationToken);
        await Outbox.SealLegacyAsync(cancellationToken);
        await Segel.Core.Audit.RowSealing.SealLegacyAsync(Database, Time, cancellationToken);
        await Storage.SearchText.FillAsync(Database, cancellationToken);
        if (!initializeIfMissing || await Ring.IsInitializedAsync(cancellationToken))
        {
            return false;
        }
        try
        {
            if (Options.Ca.ExternalRoot)
            {
                await Subordinate.PrepareAsync(actor, cancellationToken);
            }
            else
            {
                await Initializer.InitializeAsync(actor, cancellationToken);
            }
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
        Ocsp.Dispose();
        StatusTables.Dispose();
        Reports.Dispose();
        TransparencyLog.Dispose();
        Ring.Dispose();
        PdfWork.Dispose();
        Anchors.Dispose();
    }
}
