using Microsoft.EntityFrameworkCore;

namespace Segel.Core.Storage;

/// <summary>
/// Segel's database. The model is shared; each provider has a derived context so that its migrations are
/// generated for and checked against that provider alone (SQLite and PostgreSQL differ in types).
/// </summary>
public abstract class SegelDbContext : DbContext
{
    protected SegelDbContext(DbContextOptions options) : base(options) { }

    public DbSet<AuthorityRecord> Authorities => Set<AuthorityRecord>();

    public DbSet<CertificateRecord> Certificates => Set<CertificateRecord>();

    public DbSet<CrlRecord> Crls => Set<CrlRecord>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public DbSet<AuditCheckpointRecord> AuditCheckpoints => Set<AuditCheckpointRecord>();

    public DbSet<AgencyRecord> Agencies => Set<AgencyRecord>();

    public DbSet<WorkUnitRecord> WorkUnits => Set<WorkUnitRecord>();

    public DbSet<EmployeeRecord> Employees => Set<EmployeeRecord>();

    public DbSet<UserRecord> Users => Set<UserRecord>();

    public DbSet<ApiTokenRecord> ApiTokens => Set<ApiTokenRecord>();

    /// <summary>Links new audit records into the chain; set by <see cref="SegelDatabase"/>.</summary>
    public Audit.AuditChain? AuditChain { get; set; }

    /// <summary>Serialises appends to the audit chain within the current transaction (PostgreSQL); SQLite writers are serial already.</summary>
    protected virtual Task LockAuditChainAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        List<AuditRecord> pending = ChangeTracker.Entries<AuditRecord>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (pending.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        Audit.AuditChain chain = AuditChain ?? throw new InvalidOperationException("This context cannot write audit records: it has no audit key.");
        bool own = Database.CurrentTransaction is null;
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? transaction = own ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            await LockAuditChainAsync(cancellationToken);
            var last = await AuditRecords.AsNoTracking().OrderByDescending(a => a.Sequence)
                .Select(a => new { a.Sequence, a.Mac }).FirstOrDefaultAsync(cancellationToken);
            long sequence = last?.Sequence ?? 0;
            byte[] previous = last?.Mac ?? Audit.AuditChain.Genesis;
            using (System.Security.Cryptography.IncrementalHash hmac = chain.CreateHmac())
            {
                foreach (AuditRecord record in pending)
                {
                    record.Sequence = ++sequence;
                    record.PreviousMac = previous;
                    record.Mac = Audit.AuditChain.Mac(record, hmac);
                    previous = record.Mac;
                }
            }
            int written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
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
            e.Property(c => c.SerialHex).HasMaxLength(64);
            e.Property(c => c.Profile).HasMaxLength(32);
            e.Property(c => c.SubjectDn).HasMaxLength(1024);
            e.Property(c => c.CommonName).HasMaxLength(256);
            e.Property(c => c.Email).HasMaxLength(256);
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
            e.Property(a => a.Origin).HasMaxLength(128);
            e.Property(a => a.Actor).HasMaxLength(256);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.Subject).HasMaxLength(256);
        });
        modelBuilder.Entity<AgencyRecord>(e =>
        {
            e.ToTable("agencies");
            e.HasIndex(a => a.Code).IsUnique();
            e.Property(a => a.Code).HasMaxLength(32);
            e.Property(a => a.Name).HasMaxLength(200);
        });
        modelBuilder.Entity<WorkUnitRecord>(e =>
        {
            e.ToTable("work_units");
            e.HasIndex(w => new { w.AgencyId, w.Name }).IsUnique();
            e.Property(w => w.Name).HasMaxLength(200);
            e.HasOne<AgencyRecord>().WithMany().HasForeignKey(w => w.AgencyId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<EmployeeRecord>(e =>
        {
            e.ToTable("employees");
            e.HasIndex(x => x.Nip).IsUnique();
            e.HasIndex(x => x.NikLookup).IsUnique();
            e.HasIndex(x => x.Email).IsUnique();
            e.HasIndex(x => x.AgencyId);
            e.Property(x => x.Nip).HasMaxLength(18);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Position).HasMaxLength(200);
            e.Property(x => x.Email).HasMaxLength(256);
            e.HasOne<AgencyRecord>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<WorkUnitRecord>().WithMany().HasForeignKey(x => x.WorkUnitId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<UserRecord>(e =>
        {
            e.ToTable("users");
            e.HasIndex(u => u.Username).IsUnique();
            e.Property(u => u.Username).HasMaxLength(64);
            e.Property(u => u.DisplayName).HasMaxLength(200);
            e.Property(u => u.PasswordHash).HasMaxLength(200);
            e.HasOne<AgencyRecord>().WithMany().HasForeignKey(u => u.AgencyId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ApiTokenRecord>(e =>
        {
            e.ToTable("api_tokens");
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.Scopes).HasMaxLength(500);
            e.Property(t => t.CreatedBy).HasMaxLength(256);
        });
        modelBuilder.Entity<AuditCheckpointRecord>(e =>
        {
            e.ToTable("audit_checkpoints");
            e.HasIndex(c => c.Sequence);
            e.HasOne<AuthorityRecord>().WithMany().HasForeignKey(c => c.AuthorityId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}

public sealed class SqliteSegelDbContext(DbContextOptions<SqliteSegelDbContext> options) : SegelDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // SQLite has no date type; as 64-bit numbers (all values are UTC) they compare and sort correctly in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class PostgresSegelDbContext(DbContextOptions<PostgresSegelDbContext> options) : SegelDbContext(options)
{
    // An arbitrary constant naming "the audit chain" among advisory locks; released at commit or rollback.
    private const long AuditChainLock = 0x5365_6765_6C41_7564;

    protected override async Task LockAuditChainAsync(CancellationToken cancellationToken) =>
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AuditChainLock})", cancellationToken);
}
