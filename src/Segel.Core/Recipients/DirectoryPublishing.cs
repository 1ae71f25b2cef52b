using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Cms;

namespace Segel.Core.Recipients;

/// <summary>What one round of publishing did.</summary>
public sealed record DirectoryRound(int Written, int Removed);

/// <summary>
/// Keeps the LDAP directory in step with Segel's records (issue 23.4): every valid certificate of a person on file is
/// there under their name and address, and a revoked or expired one is not. Issuance and revocation note the employee in
/// <c>directory_changes</c> in their own transaction; <see cref="PublishPendingAsync"/> writes those employees' entries
/// at once (each node claims rows with a conditional update, as the mail outbox does), and
/// <see cref="ReconcileAsync"/> compares the whole branch with the records now and then, which also withdraws certificates
/// that expired and repairs hand edits.
/// <para>
/// Two nodes can write one employee's entry at the same time (each claimed a different change for them): a writer that
/// read the records before the other's change could otherwise leave a revoked certificate published. So every writer
/// reads the records again after writing and writes again until what it wrote is still what they say; the last write is
/// always based on a read that came after every change before it.
/// </para>
/// </summary>
public sealed class DirectoryPublishing
{
    public const int MaxAttempts = 20;
    private const int RoundSize = 200;
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);
    /// <summary>People's certificates; of a holder with a separate encryption certificate (issue 23.5) only that one is published (<see cref="Publishable"/>).</summary>
    private static readonly string[] PeopleProfiles =
        [CertificateProfile.Subscriber.ToName(), CertificateProfile.RaOfficer.ToName(), CertificateProfile.Encryption.ToName()];
    private readonly SegelDatabase _database;
    private readonly DirectoryOptions _options;
    private readonly TimeProvider _time;

    internal DirectoryPublishing(SegelDatabase database, DirectoryOptions options, Ca.CaEvents events, TimeProvider time)
    {
        _database = database;
        _options = options;
        _time = time;
        // A revocation on this node is withdrawn at once rather than at the next poll.
        events.StatusChanged += (_, _) => Nudged?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Raised after a change on this node committed, so publishing starts at once instead of at the next poll.</summary>
    public event EventHandler? Nudged;

    /// <summary>Refuses directory options Segel could not publish with (checked at start, before anything is served).</summary>
    public static void CheckOptions(DirectoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Configured)
        {
            LdapDirectory.Check(options);
        }
    }

    /// <summary>Whether a directory is configured; without one nothing is published and the rows wait.</summary>
    public bool Configured => _options.Configured;

    public TimeSpan PollInterval => TimeSpan.FromSeconds(Math.Clamp(_options.PollSeconds, 1, 3600));

    public TimeSpan ReconcileInterval => TimeSpan.FromMinutes(Math.Clamp(_options.ReconcileMinutes, 1, 7 * 24 * 60));

    /// <summary>
    /// Called between reading the records and writing the directory: lets a test put another node's change exactly in the
    /// window where a writer without the read-after-write would publish what the records no longer say.
    /// </summary>
    internal Func<long, Task>? BeforeWrite { get; set; }

    /// <summary>Publishes the employees whose certificates changed. Returns how many entries were written or removed.</summary>
    public async Task<DirectoryRound> PublishPendingAsync(CancellationToken cancellationToken = default)
    {
        if (!Configured)
        {
            return new DirectoryRound(0, 0);
        }
        int written = 0, removed = 0;
        while (true)
        {
            DateTimeOffset now = _time.GetUtcNow();
            await using SegelDbContext db = _database.CreateContext();
            List<long> candidates = await db.DirectoryChanges.AsNoTracking()
                .Where(c => c.PublishedAt == null && c.Attempts < MaxAttempts && (c.ClaimedUntil == null || c.ClaimedUntil < now))
                .OrderBy(c => c.Id).Select(c => c.Id).Take(RoundSize).ToListAsync(cancellationToken);
            if (candidates.Count == 0)
            {
                return new DirectoryRound(written, removed);
            }
            Guid token = Guid.NewGuid();
            DateTimeOffset until = now + ClaimFor;
            await db.DirectoryChanges
                .Where(c => candidates.Contains(c.Id) && c.PublishedAt == null && (c.ClaimedUntil == null || c.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClaimedUntil, until).SetProperty(c => c.ClaimToken, token)
                    .SetProperty(c => c.Attempts, c => c.Attempts + 1), cancellationToken);
            var won = await db.DirectoryChanges.AsNoTracking().Where(c => c.ClaimToken == token)
                .Select(c => new { c.EmployeeId, c.Attempts }).ToListAsync(cancellationToken);
            if (won.Count == 0)
            {
                continue; // another node took them
            }
            try
            {
                using LdapDirectory directory = LdapDirectory.Open(_options);
                foreach (long employee in won.Select(w => w.EmployeeId).Distinct())
                {
                    if (await WriteAsync(directory, employee, cancellationToken))
                    {
                        written++;
                    }
                    else
                    {
                        removed++;
                    }
                }
            }
            catch (SegelException e)
            {
                // The whole round waits, with a back-off that grows with each attempt; the directory is down or refuses.
                DateTimeOffset retryAt = _time.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(600, 5 << Math.Min(won.Max(w => w.Attempts), 7)));
                string error = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
                await db.DirectoryChanges.Where(c => c.ClaimToken == token && c.PublishedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClaimedUntil, retryAt).SetProperty(c => c.LastError, error), cancellationToken);
                throw;
            }
            DateTimeOffset done = _time.GetUtcNow();
            await db.DirectoryChanges.Where(c => c.ClaimToken == token)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.PublishedAt, done).SetProperty(c => c.LastError, (string?)null), cancellationToken);
        }
    }

    /// <summary>
    /// Compares every entry of Segel's in the branch with the records and corrects what differs: adds what is missing,
    /// replaces what changed, deletes entries of employees with no valid certificate left (expired, revoked, or never Segel's).
    /// </summary>
    public async Task<DirectoryRound> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        if (!Configured)
        {
            return new DirectoryRound(0, 0);
        }
        Dictionary<long, DirectoryEntry> wanted = (await WantedAsync(null, cancellationToken)).ToDictionary(e => e.EmployeeId);
        using LdapDirectory directory = LdapDirectory.Open(_options);
        Dictionary<long, DirectoryEntry> present = directory.ReadAll().ToDictionary(e => e.EmployeeId);
        int written = 0, removed = 0;
        foreach (DirectoryEntry entry in wanted.Values.Where(w => !w.SameAs(present.GetValueOrDefault(w.EmployeeId))))
        {
            await WriteAsync(directory, entry.EmployeeId, cancellationToken);
            written++;
        }
        foreach (long stale in present.Keys.Where(id => !wanted.ContainsKey(id)))
        {
            if (!await WriteAsync(directory, stale, cancellationToken))
            {
                removed++;
            }
        }
        return new DirectoryRound(written, removed);
    }

    /// <summary>Writes what the records say of <paramref name="employeeId"/> until a read after the write still says it. Returns whether an entry is left.</summary>
    private async Task<bool> WriteAsync(LdapDirectory directory, long employeeId, CancellationToken cancellationToken)
    {
        DirectoryEntry? wanted = (await WantedAsync(employeeId, cancellationToken)).SingleOrDefault();
        // Bounded: records that keep changing under it each note a change of their own, which a later round writes.
        for (int round = 0; ; round++)
        {
            if (BeforeWrite is { } pause)
            {
                await pause(employeeId);
            }
            directory.Put(employeeId, wanted);
            DirectoryEntry? now = (await WantedAsync(employeeId, cancellationToken)).SingleOrDefault();
            if ((now is null ? wanted is null : now.SameAs(wanted)) || round == 9)
            {
                return wanted is not null;
            }
            wanted = now;
        }
    }

    /// <summary>What the directory should hold: every employee (or the one asked for) with a valid certificate of a person's profile.</summary>
    private async Task<List<DirectoryEntry>> WantedAsync(long? employeeId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        var valid = await db.Certificates.AsNoTracking()
            .Where(c => c.EmployeeId != null && (employeeId == null || c.EmployeeId == employeeId) && c.RevokedAt == null &&
                c.NotBefore <= now && c.NotAfter > now && PeopleProfiles.Contains(c.Profile))
            .OrderBy(c => c.Id)
            .Select(c => new { Employee = c.EmployeeId!.Value, c.CommonName, c.Email, c.Der })
            .ToListAsync(cancellationToken);
        valid.RemoveAll(c => !Publishable(c.Der));
        return [.. valid.GroupBy(c => c.Employee).Select(g => new DirectoryEntry(g.Key, g.Last().CommonName,
            [.. g.Select(c => c.Email).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)], [.. g.Select(c => c.Der)]))];
    }

    /// <summary>
    /// A certificate mail clients can encrypt to. They take any <c>userCertificate</c> of the recipient's entry; a signing-only
    /// certificate there (issue 23.5) would be one they cannot use, or that Outlook picks and then refuses.
    /// </summary>
    private static bool Publishable(byte[] der)
    {
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(der);
        return DocumentEncryption.AllowsEncryptionTo(certificate);
    }
}
