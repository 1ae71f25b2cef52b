using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

/// <summary>One version of the subscriber agreement as anyone may read it: its text and the SHA-256 (hex) an acceptance records.</summary>
public sealed record SubscriberAgreement(int Version, string Text, string Sha256, DateTimeOffset PublishedAt, string PublishedBy)
{
    internal static SubscriberAgreement Of(AgreementRecord a) => new(a.Version, a.Text, Convert.ToHexString(a.Sha256), a.PublishedAt, a.PublishedBy);
}

/// <summary>
/// The subscriber agreement (Pasal 7), in versions that are only ever added. The first version is Segel's
/// default text; the policy administrator (KKSE) publishes later ones. An acceptance records the version
/// and the SHA-256 of its exact text, so what was agreed to can be shown years later.
/// </summary>
public sealed class SubscriberAgreements
{
    public const int MaxLength = 100_000;
    private readonly SegelDatabase _database;
    private readonly TimeProvider _time;

    internal SubscriberAgreements(SegelDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    public static string DefaultText()
    {
        using Stream stream = typeof(SubscriberAgreements).Assembly.GetManifestResourceStream("Segel.Core.Lifecycle.subscriber-agreement.txt")
            ?? throw new InvalidOperationException("The default subscriber agreement is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>The version holders accept now; the default text becomes version 1 on first use.</summary>
    public async Task<SubscriberAgreement> CurrentAsync(CancellationToken cancellationToken = default) =>
        SubscriberAgreement.Of(await CurrentRecordAsync(cancellationToken));

    internal async Task<AgreementRecord> CurrentRecordAsync(CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        AgreementRecord? current = await db.Agreements.AsNoTracking().OrderByDescending(a => a.Version).FirstOrDefaultAsync(cancellationToken);
        if (current is not null)
        {
            return current;
        }
        try
        {
            return await AddAsync(db, 1, DefaultText(), Actor.System, cancellationToken);
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            // Another node seeded version 1 at the same moment.
            await using SegelDbContext again = _database.CreateContext();
            return await again.Agreements.AsNoTracking().OrderByDescending(a => a.Version).FirstAsync(cancellationToken);
        }
    }

    public async Task<SubscriberAgreement> GetAsync(int version, CancellationToken cancellationToken = default)
    {
        if (version == 1)
        {
            await CurrentRecordAsync(cancellationToken);
        }
        await using SegelDbContext db = _database.CreateContext();
        return SubscriberAgreement.Of(await db.Agreements.AsNoTracking().SingleOrDefaultAsync(a => a.Version == version, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSubscriberAgreementVersion", version)));
    }

    /// <summary>Every version, newest first (texts included: they are public, Pasal 7).</summary>
    public async Task<IReadOnlyList<SubscriberAgreement>> ListAsync(CancellationToken cancellationToken = default)
    {
        await CurrentRecordAsync(cancellationToken);
        await using SegelDbContext db = _database.CreateContext();
        return [.. (await db.Agreements.AsNoTracking().OrderByDescending(a => a.Version).ToListAsync(cancellationToken)).Select(SubscriberAgreement.Of)];
    }

    public async Task<SubscriberAgreement> PublishAsync(string text, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.PolicyAdmin | Role.Admin, "publish-a-subscriber-agreement");
        string clean = (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (clean.Length < 100 || clean.Length > MaxLength)
        {
            throw SegelException.Invalid("text", Localized.Of("Error.AgreementText100Characters", MaxLength));
        }
        AgreementRecord current = await CurrentRecordAsync(cancellationToken);
        await using SegelDbContext db = _database.CreateContext();
        try
        {
            return SubscriberAgreement.Of(await AddAsync(db, current.Version + 1, clean, by.ToActor(), cancellationToken));
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            throw SegelException.Conflict(Localized.Of("Error.AnotherVersionPublishedSameTime"));
        }
    }

    public static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private async Task<AgreementRecord> AddAsync(SegelDbContext db, int version, string text, Actor actor, CancellationToken cancellationToken)
    {
        var record = new AgreementRecord { Version = version, Text = text, Sha256 = Hash(text), PublishedAt = _time.GetUtcNow(), PublishedBy = actor.Name };
        db.Agreements.Add(record);
        AuditLog.Record(db, _time, actor, "agreement.published", $"v{version}", new { sha256 = Convert.ToHexString(record.Sha256) });
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }
}
