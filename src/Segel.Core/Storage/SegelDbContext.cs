using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Core.Storage;

/// <summary>
/// Segel's database. The model is shared; each provider has a derived context so that its migrations are
/// generated for and checked against that provider alone (SQLite and PostgreSQL differ in types).
/// </summary>
internal abstract partial class SegelDbContext : DbContext
{
    protected SegelDbContext(DbContextOptions options) : base(options) { }

    public DbSet<AuthorityRecord> Authorities => Set<AuthorityRecord>();

    public DbSet<CertificateRecord> Certificates => Set<CertificateRecord>();

    public DbSet<CrlRecord> Crls => Set<CrlRecord>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public DbSet<AuditCheckpointRecord> AuditCheckpoints => Set<AuditCheckpointRecord>();

    public DbSet<LogEntryRecord> LogEntries => Set<LogEntryRecord>();

    public DbSet<LogHeadRecord> LogHeads => Set<LogHeadRecord>();

    public DbSet<AgencyRecord> Agencies => Set<AgencyRecord>();

    public DbSet<WorkUnitRecord> WorkUnits => Set<WorkUnitRecord>();

    public DbSet<EmployeeRecord> Employees => Set<EmployeeRecord>();

    public DbSet<UserRecord> Users => Set<UserRecord>();

    public DbSet<SignInGuardRecord> SignInGuards => Set<SignInGuardRecord>();

    public DbSet<ApiTokenRecord> ApiTokens => Set<ApiTokenRecord>();

    public DbSet<InvitationRecord> Invitations => Set<InvitationRecord>();

    public DbSet<EnrollmentRecord> Enrollments => Set<EnrollmentRecord>();

    public DbSet<DocumentRecord> Documents => Set<DocumentRecord>();

    public DbSet<AgreementRecord> Agreements => Set<AgreementRecord>();

    public DbSet<DecisionRecord> Decisions => Set<DecisionRecord>();

    public DbSet<RevocationRequestRecord> RevocationRequests => Set<RevocationRequestRecord>();

    public DbSet<ReminderRecord> Reminders => Set<ReminderRecord>();

    public DbSet<OutboxMailRecord> OutboxMail => Set<OutboxMailRecord>();

    public DbSet<DirectoryChangeRecord> DirectoryChanges => Set<DirectoryChangeRecord>();

    public DbSet<HolderKeyRecord> HolderKeys => Set<HolderKeyRecord>();

    public DbSet<RecoveryKeyRecord> RecoveryKeys => Set<RecoveryKeyRecord>();

    public DbSet<RecoveryShareRecord> RecoveryShares => Set<RecoveryShareRecord>();

    public DbSet<KeyRecoveryRequestRecord> KeyRecoveryRequests => Set<KeyRecoveryRequestRecord>();

    public DbSet<InstitutionalSealRecord> InstitutionalSeals => Set<InstitutionalSealRecord>();

    public DbSet<KeyRecoveryApprovalRecord> KeyRecoveryApprovals => Set<KeyRecoveryApprovalRecord>();

    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();

    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();

    public DbSet<SignatureRecord> Signatures => Set<SignatureRecord>();

    public DbSet<ComplaintRecord> Complaints => Set<ComplaintRecord>();

    public DbSet<ComplaintAnswerRecord> ComplaintAnswers => Set<ComplaintAnswerRecord>();

    public DbSet<StoredReportRecord> StoredReports => Set<StoredReportRecord>();

    public DbSet<FindingRecord> Findings => Set<FindingRecord>();

    public DbSet<OneTimeCodeRecord> OneTimeCodes => Set<OneTimeCodeRecord>();

    public DbSet<SettingRecord> Settings => Set<SettingRecord>();

    public DbSet<WebKeyRecord> WebKeys => Set<WebKeyRecord>();

    /// <summary>Links new audit records into the chain; set by <see cref="SegelDatabase"/>.</summary>
    public AuditChain? AuditChain { get; set; }

    /// <summary>The database this context came from, for work that must commit apart from this unit (an integrity alarm).</summary>
    internal SegelDatabase? Owner { get; set; }

    /// <summary>Set only by the one-time sealing of rows from before seals existed (<c>RowSealing</c>).</summary>
    internal bool SealingUnsealedRows { get; set; }

    /// <summary>Serialises appends to the audit chain within the current transaction (PostgreSQL); SQLite writers are serial already.</summary>
    protected virtual Task LockAuditChainAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Serialises CRL publication for one issuer within the current transaction (PostgreSQL; SQLite writers are serial
    /// already), so nodes publishing at once take turns instead of racing for the next number and failing.
    /// </summary>
    public virtual Task LockCrlNumbersAsync(int issuerId, CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // One pass over the tracked entries (each Entries() call detects changes over all of them again).
        var pending = new List<AuditRecord>();
        var leaves = new List<LogEntryRecord>();
        var unnumbered = new List<ISealedRow>();
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is EmployeeRecord person && entry.State is EntityState.Added or EntityState.Modified)
            {
                person.SearchText = SearchText.OfEmployee(person.Name, person.Nip, person.Email);
            }
            else if (entry.Entity is CertificateRecord certificate && entry.State is EntityState.Added or EntityState.Modified)
            {
                certificate.SearchText = SearchText.OfCertificate(certificate.CommonName, certificate.Email, certificate.SerialHex);
            }
            switch (entry.Entity)
            {
                case ISealedRow row when entry.State is EntityState.Added or EntityState.Modified:
                    // Every sealed row Segel adds or changes is sealed here, so no write path can forget it — and a row
                    // changed behind Segel's back is never sealed again by a later legitimate change: that would launder it.
                    AuditChain sealer = AuditChain ?? throw new InvalidOperationException("This context cannot seal rows: it has no audit key.");
                    if (entry.State == EntityState.Modified && !SealingUnsealedRows && !sealer.RowIntact((ISealedRow)entry.OriginalValues.ToObject()))
                    {
                        throw SegelException.Refused(
                            Localized.Of("Error.RecordChangedOutsideSegelSegel", row.SealKind, row.SealKey));
                    }
                    if (entry.State == EntityState.Added && row.KeyFromStore)
                    {
                        unnumbered.Add(row); // sealed once the insert has given it its number, below
                        break;
                    }
                    row.Seal = sealer.SealRow(row);
                    break;
                case AuditRecord record when entry.State == EntityState.Added:
                    pending.Add(record);
                    break;
                case LogEntryRecord leaf when entry.State == EntityState.Added:
                    leaves.Add(leaf);
                    break;
            }
        }
        if (pending.Count == 0 && leaves.Count == 0 && unnumbered.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        AuditChain chain = AuditChain ?? throw new InvalidOperationException("This context cannot write audit records: it has no audit key.");
        bool own = Database.CurrentTransaction is null;
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? transaction = own ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            if (pending.Count > 0 || leaves.Count > 0)
            {
                await LinkAsync(chain, pending, leaves, cancellationToken);
            }
            int written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (unnumbered.Count > 0)
            {
                // The rows have their numbers now; the seals that include them go in with the same transaction.
                if (!acceptAllChangesOnSuccess)
                {
                    throw new InvalidOperationException("Rows numbered by the database are sealed after their insert, which needs the insert accepted.");
                }
                foreach (ISealedRow row in unnumbered)
                {
                    row.Seal = chain.SealRow(row);
                }
                await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            return written;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Under the audit chain's lock: the new records' sequence numbers and MACs after the newest record, and the
    /// transparency log's next indexes — gapless and in commit order, so nodes never fork either.
    /// </summary>
    private async Task LinkAsync(AuditChain chain, List<AuditRecord> pending, List<LogEntryRecord> leaves, CancellationToken cancellationToken)
    {
        await LockAuditChainAsync(cancellationToken);
        if (pending.Count > 0)
        {
            var last = await AuditRecords.AsNoTracking().OrderByDescending(a => a.Sequence)
                .Select(a => new { a.Sequence, a.Mac }).FirstOrDefaultAsync(cancellationToken);
            long sequence = last?.Sequence ?? 0;
            byte[] previous = last?.Mac ?? AuditChain.Genesis;
            using System.Security.Cryptography.IncrementalHash hmac = chain.CreateHmac();
            foreach (AuditRecord record in pending)
            {
                record.Sequence = ++sequence;
                record.PreviousMac = previous;
                record.Mac = AuditChain.Mac(record, hmac);
                previous = record.Mac;
            }
        }
        if (leaves.Count > 0)
        {
            long next = (await LogEntries.MaxAsync(e => (long?)e.Index, cancellationToken) ?? -1) + 1;
            foreach (LogEntryRecord leaf in leaves)
            {
                leaf.Index = next++;
            }
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<AuthorityRecord>(e =>
        {
            e.ToTable("authorities");
            e.HasIndex(a => a.Slug).IsUnique();
            e.Property(a => a.Slug).HasMaxLength(64);
            e.Property(a => a.KeyUri).HasMaxLength(512);
            e.Property(a => a.KeyAlgorithm).HasMaxLength(32);
            e.Property(a => a.Role).HasConversion<int>();
        });
        modelBuilder.Entity<CertificateRecord>(e =>
        {
            e.ToTable("certificates");
            e.HasIndex(c => new { c.IssuerId, c.SerialHex }).IsUnique();
            e.HasIndex(c => c.Email);
            e.HasIndex(c => c.NotAfter);
            // The count of revoked rows only ever grows, so it is a cheap signal that status changed.
            e.HasIndex(c => c.RevokedAt);
            e.HasIndex(c => c.EmployeeId);
            e.HasIndex(c => c.PairedCertificateId);
            e.Property(c => c.SerialHex).HasMaxLength(64);
            e.Property(c => c.Profile).HasMaxLength(32);
            e.Property(c => c.SubjectDn).HasMaxLength(1024);
            e.Property(c => c.CommonName).HasMaxLength(256);
            e.Property(c => c.Email).HasMaxLength(256);
            e.Property(c => c.SearchText).HasMaxLength(700);
            e.HasOne<AuthorityRecord>().WithMany().HasForeignKey(c => c.IssuerId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<CrlRecord>(e =>
        {
            e.ToTable("crls");
            e.HasIndex(c => new { c.IssuerId, c.Number }).IsUnique();
            e.HasOne<AuthorityRecord>().WithMany().HasForeignKey(c => c.IssuerId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<AuditRecord>(e =>
        {
            e.ToTable("audit_records");
            e.HasIndex(a => a.Sequence).IsUnique();
            // What the audit page filters by (a certificate's serial or a NIP, who, a request's id, a date range), so an
            // auditor's question reads its own entries, not a million; each costs an audit insert a little, once.
            e.HasIndex(a => a.Subject);
            e.HasIndex(a => a.Actor);
            e.HasIndex(a => a.RequestId);
            e.HasIndex(a => a.At);
            e.Property(a => a.Origin).HasMaxLength(128);
            e.Property(a => a.Actor).HasMaxLength(256);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.Subject).HasMaxLength(256);
            e.Property(a => a.RequestId).HasMaxLength(Kernel.RequestCorrelation.MaxLength);
        });
        modelBuilder.Entity<AgencyRecord>(e =>
        {
            e.ToTable("agencies");
            e.HasIndex(a => a.Code).IsUnique();
            e.Property(a => a.Seal).IsConcurrencyToken();
            e.Property(a => a.Code).HasMaxLength(32);
            e.Property(a => a.Name).HasMaxLength(200);
        });
        modelBuilder.Entity<WebKeyRecord>(e =>
        {
            e.ToTable("web_keys");
            e.Property(k => k.Name).HasMaxLength(100);
        });
        modelBuilder.Entity<SettingRecord>(e =>
        {
            e.ToTable("settings");
            e.HasKey(x => x.Key);
            e.Property(x => x.Seal).IsConcurrencyToken();
            e.Property(x => x.Key).HasMaxLength(64);
            e.Property(x => x.Value).HasMaxLength(4000);
            e.Property(x => x.ChangedBy).HasMaxLength(256);
        });
        modelBuilder.Entity<WorkUnitRecord>(e =>
        {
            e.ToTable("work_units");
            e.HasIndex(w => new { w.AgencyId, w.Name }).IsUnique();
            e.Property(w => w.Seal).IsConcurrencyToken();
            e.Property(w => w.Name).HasMaxLength(200);
            e.HasOne<AgencyRecord>().WithMany().HasForeignKey(w => w.AgencyId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<EmployeeRecord>(e =>
        {
            e.ToTable("employees");
            e.HasIndex(x => x.Nip).IsUnique();
            // Two writers of one row must not each seal their half of it: the second is refused instead.
            e.Property(x => x.Seal).IsConcurrencyToken();
            e.HasIndex(x => x.NikLookup).IsUnique();
            e.HasIndex(x => x.Email).IsUnique();
            e.HasIndex(x => x.AgencyId);
            e.Property(x => x.Nip).HasMaxLength(18);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Position).HasMaxLength(200);
            e.Property(x => x.Email).HasMaxLength(256);
            e.Property(x => x.SearchText).HasMaxLength(500);
            e.HasOne<AgencyRecord>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<WorkUnitRecord>().WithMany().HasForeignKey(x => x.WorkUnitId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<UserRecord>(e =>
        {
            e.ToTable("users");
            e.HasIndex(u => u.Username).IsUnique();
            e.Property(u => u.Seal).IsConcurrencyToken();
            e.Property(u => u.Username).HasMaxLength(64);
            e.Property(u => u.DisplayName).HasMaxLength(200);
            e.Property(u => u.PasswordHash).HasMaxLength(200);
            e.Property(u => u.ProviderSubject).HasMaxLength(600);
            e.HasIndex(u => u.ProviderSubject).IsUnique();
            e.HasOne<AgencyRecord>().WithMany().HasForeignKey(u => u.AgencyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<EmployeeRecord>().WithMany().HasForeignKey(u => u.EmployeeId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<SignInGuardRecord>(e =>
        {
            e.ToTable("sign_in_guards");
            e.HasKey(g => g.NameKey);
            e.Property(g => g.NameKey).HasMaxLength(64);
            e.HasIndex(g => g.LastAt);
        });
        modelBuilder.Entity<InvitationRecord>(e =>
        {
            e.ToTable("invitations");
            e.Property(i => i.Seal).IsConcurrencyToken();
            e.HasIndex(i => i.TokenHash).IsUnique();
            e.HasIndex(i => i.UserId);
            e.HasOne<UserRecord>().WithMany().HasForeignKey(i => i.UserId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ApiTokenRecord>(e =>
        {
            e.ToTable("api_tokens");
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.Scopes).HasMaxLength(500);
            e.Property(t => t.CreatedBy).HasMaxLength(256);
            e.Property(t => t.Networks).HasMaxLength(1000);
            e.HasOne<InstitutionalSealRecord>().WithMany().HasForeignKey(t => t.SealId).OnDelete(DeleteBehavior.Restrict);
        });
        ConfigureLifecycle(modelBuilder);
        modelBuilder.Entity<AuditCheckpointRecord>(e =>
        {
            e.ToTable("audit_checkpoints");
            e.HasIndex(c => c.Sequence);
            e.HasOne<AuthorityRecord>().WithMany().HasForeignKey(c => c.AuthorityId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<LogEntryRecord>(e =>
        {
            e.ToTable("log_entries");
            e.HasIndex(x => x.Index).IsUnique();
            e.HasIndex(x => x.Subject);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.Subject).HasMaxLength(128);
        });
        modelBuilder.Entity<LogHeadRecord>(e =>
        {
            e.ToTable("log_heads");
            e.HasIndex(x => x.TreeSize).IsUnique();
            e.HasOne<AuthorityRecord>().WithMany().HasForeignKey(x => x.AuthorityId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}

internal abstract partial class SegelDbContext
{
    private static void ConfigureLifecycle(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<EnrollmentRecord>(e =>
        {
            e.ToTable("enrollments");
            e.Property(x => x.Seal).IsConcurrencyToken();
            // The review queue: state first, oldest submission first.
            e.HasIndex(x => new { x.State, x.SubmittedAt });
            e.HasIndex(x => new { x.AgencyId, x.State });
            e.HasIndex(x => x.EmployeeId);
            e.Property(x => x.Profile).HasMaxLength(32);
            e.Property(x => x.ContactEmail).HasMaxLength(256);
            e.Property(x => x.HolderEmail).HasMaxLength(256);
            e.Property(x => x.CreatedBy).HasMaxLength(256);
            e.Property(x => x.DecidedBy).HasMaxLength(256);
            e.Property(x => x.RejectionReason).HasMaxLength(2000);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasOne<EmployeeRecord>().WithMany().HasForeignKey(x => x.EmployeeId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<AgencyRecord>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<CertificateRecord>().WithMany().HasForeignKey(x => x.CertificateId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<DocumentRecord>(e =>
        {
            e.ToTable("documents");
            e.HasIndex(x => new { x.EnrollmentId, x.Kind });
            e.HasIndex(x => x.RevocationRequestId);
            e.Property(x => x.ContentType).HasMaxLength(64);
            e.Property(x => x.FileName).HasMaxLength(255);
            e.Property(x => x.UploadedBy).HasMaxLength(256);
            e.HasOne<EnrollmentRecord>().WithMany().HasForeignKey(x => x.EnrollmentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<RevocationRequestRecord>().WithMany().HasForeignKey(x => x.RevocationRequestId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<AgreementRecord>(e =>
        {
            e.ToTable("agreements");
            e.HasKey(x => x.Version);
            e.Property(x => x.Version).ValueGeneratedNever();
            e.Property(x => x.PublishedBy).HasMaxLength(256);
        });
        modelBuilder.Entity<DecisionRecord>(e =>
        {
            e.ToTable("decisions");
            e.Property(x => x.Seal).IsConcurrencyToken();
            e.HasIndex(x => new { x.SubjectType, x.SubjectId });
            e.Property(x => x.SubjectType).HasMaxLength(32);
            e.Property(x => x.Decision).HasMaxLength(32);
            e.Property(x => x.Officer).HasMaxLength(256);
        });
        modelBuilder.Entity<RevocationRequestRecord>(e =>
        {
            e.ToTable("revocation_requests");
            e.Property(x => x.Seal).IsConcurrencyToken();
            e.HasIndex(x => new { x.State, x.CreatedAt });
            e.HasIndex(x => x.CertificateId);
            e.Property(x => x.RequestedBy).HasMaxLength(256);
            e.Property(x => x.DecidedBy).HasMaxLength(256);
            e.Property(x => x.ContactEmail).HasMaxLength(256);
            e.Property(x => x.Statement).HasMaxLength(2000);
            e.Property(x => x.RejectionReason).HasMaxLength(2000);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasOne<CertificateRecord>().WithMany().HasForeignKey(x => x.CertificateId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ReminderRecord>(e =>
        {
            e.ToTable("reminders");
            e.HasIndex(x => new { x.CertificateId, x.DaysBefore }).IsUnique();
        });
        modelBuilder.Entity<OutboxMailRecord>(e =>
        {
            e.ToTable("outbox_mail");
            e.HasIndex(x => x.SentAt);
            e.Property(x => x.To).HasMaxLength(256);
            e.Property(x => x.Subject).HasMaxLength(500);
            e.Property(x => x.LastError).HasMaxLength(1000);
        });
        modelBuilder.Entity<DirectoryChangeRecord>(e =>
        {
            e.ToTable("directory_changes");
            e.HasIndex(x => x.PublishedAt);
            e.Property(x => x.LastError).HasMaxLength(1000);
        });
        modelBuilder.Entity<HolderKeyRecord>(e =>
        {
            e.ToTable("holder_keys");
            e.Property(x => x.Seal).IsConcurrencyToken();
            e.HasIndex(x => x.EmployeeId);
            e.HasIndex(x => x.CertificateId);
            e.Property(x => x.Algorithm).HasMaxLength(32);
            e.HasOne<RecoveryKeyRecord>().WithMany().HasForeignKey(x => x.RecoveryKeyId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.Kdf).HasMaxLength(200);
            e.HasOne<EmployeeRecord>().WithMany().HasForeignKey(x => x.EmployeeId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<RecoveryKeyRecord>(e =>
        {
            e.ToTable("recovery_keys");
            e.Property(x => x.Seal).IsConcurrencyToken();
        });
        modelBuilder.Entity<RecoveryShareRecord>(e =>
        {
            e.ToTable("recovery_shares");
            e.Property(x => x.Seal).IsConcurrencyToken();
            e.HasIndex(x => new { x.RecoveryKeyId, x.Point }).IsUnique();
            e.HasIndex(x => x.EmployeeId);
            e.HasOne<RecoveryKeyRecord>().WithMany().HasForeignKey(x => x.RecoveryKeyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<EmployeeRecord>().WithMany().HasForeignKey(x => x.EmployeeId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<CertificateRecord>().WithMany().HasForeignKey(x => x.CertificateId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<KeyRecoveryRequestRecord>(e =>
        {
            e.ToTable("key_recovery_requests");
            e.HasIndex(x => new { x.EmployeeId, x.State });
            e.Property(x => x.RequestedBy).HasMaxLength(200);
            e.Property(x => x.EndedBy).HasMaxLength(200);
            e.Property(x => x.Statement).HasMaxLength(2000);
            e.HasOne<EmployeeRecord>().WithMany().HasForeignKey(x => x.EmployeeId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<KeyRecoveryApprovalRecord>(e =>
        {
            e.ToTable("key_recovery_approvals");
            // One opened share per share and request: two officers approving at once, or one twice, cannot count double.
            e.HasIndex(x => new { x.RequestId, x.ShareId }).IsUnique();
            e.Property(x => x.OfficerName).HasMaxLength(200);
            e.HasOne<KeyRecoveryRequestRecord>().WithMany().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<RecoveryShareRecord>().WithMany().HasForeignKey(x => x.ShareId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<InstitutionalSealRecord>(e =>
        {
            e.ToTable("institutional_seals");
            e.Property(x => x.Seal).IsConcurrencyToken();
            e.HasIndex(x => x.AgencyId);
            e.Property(x => x.Name).HasMaxLength(256);
            e.Property(x => x.Purpose).HasMaxLength(2000);
            e.Property(x => x.AppliedBy).HasMaxLength(200);
            e.Property(x => x.DecidedBy).HasMaxLength(200);
            e.Property(x => x.RejectionReason).HasMaxLength(2000);
            e.Property(x => x.Algorithm).HasMaxLength(32);
            e.HasOne<AgencyRecord>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<CertificateRecord>().WithMany().HasForeignKey(x => x.CertificateId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ComplaintRecord>(e =>
        {
            e.ToTable("complaints");
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.Property(x => x.Topic).HasMaxLength(16);
            e.Property(x => x.Reference).HasMaxLength(200);
            e.Property(x => x.FiledBy).HasMaxLength(256);
            e.Property(x => x.State).HasMaxLength(16);
            e.HasIndex(x => x.FiledAt);
            e.HasIndex(x => x.State);
        });
        modelBuilder.Entity<FindingRecord>(e =>
        {
            e.ToTable("findings");
            e.Property(x => x.Period).HasMaxLength(32);
            e.Property(x => x.Finding).HasMaxLength(2000);
            e.Property(x => x.FollowUp).HasMaxLength(2000);
            e.Property(x => x.CreatedBy).HasMaxLength(256);
            e.Property(x => x.ClosedBy).HasMaxLength(256);
            e.Property(x => x.ClosingNote).HasMaxLength(2000);
            e.HasIndex(x => x.CreatedAt);
            e.HasOne<AgencyRecord>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<StoredReportRecord>(e =>
        {
            e.ToTable("stored_reports");
            e.Property(x => x.Period).HasMaxLength(32);
            e.Property(x => x.Scope).HasMaxLength(32);
            e.HasIndex(x => new { x.Period, x.Scope }).IsUnique();
        });
        modelBuilder.Entity<ComplaintAnswerRecord>(e =>
        {
            e.ToTable("complaint_answers");
            e.Property(x => x.By).HasMaxLength(256);
            e.HasIndex(x => x.ComplaintId);
            e.HasOne<ComplaintRecord>().WithMany().HasForeignKey(x => x.ComplaintId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<SignatureRecord>(e =>
        {
            e.ToTable("signatures");
            e.Property(x => x.Seal).IsConcurrencyToken();
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(32);
            e.HasIndex(x => new { x.EmployeeId, x.SignedAt });
            e.HasIndex(x => new { x.SealId, x.SignedAt });
            e.HasIndex(x => x.SignedAt);
            e.HasIndex(x => x.SignedSha256);
            e.Property(x => x.Application).HasMaxLength(200);
            e.Property(x => x.Level).HasMaxLength(16); // B-LTA, asic-e-b-lta, cades-b-lt
            e.Property(x => x.Unlock).HasMaxLength(16);
            e.Property(x => x.DocumentName).HasMaxLength(255);
            e.HasOne<EmployeeRecord>().WithMany().HasForeignKey(x => x.EmployeeId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<InstitutionalSealRecord>().WithMany().HasForeignKey(x => x.SealId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<CertificateRecord>().WithMany().HasForeignKey(x => x.CertificateId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<OneTimeCodeRecord>(e =>
        {
            e.ToTable("one_time_codes");
            e.HasIndex(x => new { x.EmployeeId, x.CreatedAt });
            e.Property(x => x.Purpose).HasMaxLength(200);
            e.Property(x => x.RequestedBy).HasMaxLength(200);
            e.HasOne<EmployeeRecord>().WithMany().HasForeignKey(x => x.EmployeeId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<SessionRecord>(e =>
        {
            e.ToTable("sessions");
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.Property(x => x.Origin).HasMaxLength(128);
            e.HasOne<UserRecord>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("idempotency_keys");
            e.HasIndex(x => new { x.Principal, x.Key }).IsUnique();
            e.Property(x => x.Principal).HasMaxLength(256);
            e.Property(x => x.Key).HasMaxLength(128);
            e.Property(x => x.Resource).HasMaxLength(64);
        });
    }
}

internal sealed class SqliteSegelDbContext(DbContextOptions<SqliteSegelDbContext> options) : SegelDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // The FTS5 trigram index over certificates' search text, made and kept by SQL in the migration (triggers), read by
        // certificate search; never created or changed by EF itself.
        modelBuilder.Entity<CertificateSearchRow>(e =>
        {
            e.HasNoKey();
            e.ToTable(CertificateSearchRow.Table, t => t.ExcludeFromMigrations());
            e.Property(x => x.RowId).HasColumnName("rowid");
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // SQLite has no date type; as 64-bit numbers (all values are UTC) they compare and sort correctly in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }
}

internal sealed class PostgresSegelDbContext(DbContextOptions<PostgresSegelDbContext> options) : SegelDbContext(options)
{
    // An arbitrary constant naming "the audit chain" among advisory locks; released at commit or rollback.
    private const long AuditChainLock = 0x5365_6765_6C41_7564;

    // Another constant for "CRL numbers", plus the issuer's id.
    private const long CrlNumbersLock = 0x5365_6765_6C43_0000;

    protected override async Task LockAuditChainAsync(CancellationToken cancellationToken) =>
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AuditChainLock})", cancellationToken);

    public override async Task LockCrlNumbersAsync(int issuerId, CancellationToken cancellationToken) =>
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CrlNumbersLock + issuerId})", cancellationToken);
}
