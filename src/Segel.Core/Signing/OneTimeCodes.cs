using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Notifications;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Signing;

/// <summary>
/// One-time codes e-mailed to a holder so an application can sign for them without their passphrase (the national
/// API's <c>/sign/get/totp</c>). The code goes only to the holder's official mailbox, never to the application,
/// so the application still cannot sign on its own (Pasal 15(3)). A code is six digits, lives five minutes, works
/// once; a wrong code counts toward the key's lockout like a wrong passphrase.
/// </summary>
public sealed class OneTimeCodes
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    /// <summary>Codes one holder can be sent per hour: enough for a working day, too few to flood their mailbox.</summary>
    public const int MaxPerHour = 10;
    private readonly LifecycleContext _context;
    private readonly byte[] _macKey;

    internal OneTimeCodes(LifecycleContext context, byte[] macKey)
    {
        _context = context;
        _macKey = macKey;
    }

    /// <summary>Sends a code to the holder for <paramref name="purpose"/> (shown in the e-mail); returns the masked address it went to.</summary>
    public async Task<string> SendAsync(string? nik, string? email, string? purpose, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        RemoteSigning.RequireMaySign(by);
        DateTimeOffset now = _context.Time.GetUtcNow();
        await using SegelDbContext db = _context.Database.CreateContext();
        SigningHolder holder = await SigningHolder.FindAsync(db, _context.PersonalData, nik, email, now, cancellationToken);
        RemoteSigning.RequireOwnKeyIfPerson(by, holder);
        Custody.HolderKeyVault.ThrowIfLocked(holder.Key);
        if (holder.Key.CodeSealedPrivateKey is null)
        {
            throw SegelException.Refused(Localized.Of("Error.HolderNotTurnedSigningTime"));
        }
        DateTimeOffset hourAgo = now.AddHours(-1);
        if (await db.OneTimeCodes.CountAsync(c => c.EmployeeId == holder.Employee.Id && c.CreatedAt > hourAgo, cancellationToken) >= MaxPerHour)
        {
            throw SegelException.Refused(Localized.Of("Error.CodesSentHolderLastHour", MaxPerHour));
        }
        string code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        string what = Clean(purpose);
        var record = new OneTimeCodeRecord
        {
            EmployeeId = holder.Employee.Id,
            CodeMac = Mac(holder.Employee.Id, code),
            Purpose = what,
            RequestedBy = by.Name,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
        db.OneTimeCodes.Add(record);
        _context.Outbox.Enqueue(db, MailMessages.Compose("SigningCode", holder.Employee.Email, LifecycleContext.Language,
            holder.Employee.Name, code, by.Name, what, record.ExpiresAt.ToString("HH:mm", CultureInfo.InvariantCulture), _context.Organization));
        AuditLog.Record(db, _context.Time, by.ToActor(origin), "signing-code.sent", $"employee:{holder.Employee.Nip}", new { purpose = what, expiresAt = record.ExpiresAt });
        await db.SaveChangesAsync(cancellationToken);
        _context.Outbox.NotifyQueued();
        return Mask(holder.Employee.Email);
    }

    /// <summary>Uses up a code of this holder if it is right, unexpired and unused; false otherwise. Of two requests with one code, one wins.</summary>
    internal async Task<bool> ConsumeAsync(long employeeId, string code, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _context.Time.GetUtcNow();
        byte[] mac = Mac(employeeId, code.Trim());
        await using SegelDbContext db = _context.Database.CreateContext();
        var open = await db.OneTimeCodes.AsNoTracking().Where(c => c.EmployeeId == employeeId && c.UsedAt == null && c.ExpiresAt > now)
            .OrderByDescending(c => c.Id).Take(MaxPerHour).Select(c => new { c.Id, c.CodeMac }).ToListAsync(cancellationToken);
        foreach (var candidate in open)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate.CodeMac, mac))
            {
                return await db.OneTimeCodes.Where(c => c.Id == candidate.Id && c.UsedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken) == 1;
            }
        }
        return false;
    }

    private byte[] Mac(long employeeId, string code) =>
        HMACSHA256.HashData(_macKey, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{employeeId}:{code}")));

    private static string Clean(string? purpose)
    {
        string text = new((purpose ?? "").Where(c => !char.IsControl(c)).Take(200).ToArray());
        return text.Trim() is { Length: > 0 } t ? t : "-";
    }

    /// <summary>"b***i@tanahbumbukab.go.id": enough for the caller to tell the holder where to look, not enough to harvest.</summary>
    public static string Mask(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        int at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            return "***";
        }
        string local = email[..at];
        return (local.Length <= 2 ? local[..1] + "***" : local[..1] + "***" + local[^1..]) + email[at..];
    }
}
