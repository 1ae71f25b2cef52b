using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Settings;

/// <summary>
/// Reads and changes <see cref="RegencySettings"/>. A change is a row in the database, not an edit of segel.json,
/// so every node of a cluster applies it at once (each read asks the database; the row is one primary-key lookup)
/// and it is audited in the same transaction. Until a setting is changed, segel.json's value (or the default) holds.
/// </summary>
public sealed partial class RegencySettingsStore
{
    private const string EmailDomainsKey = "email-domains";
    private const string ReminderDaysKey = "reminder-days";
    private const string NationalCaEmailKey = "national-ca-email";
    private const int MaxDomains = 10;
    private const int MaxReminders = 8;

    /// <summary>Certificates live two years; a reminder more than a year ahead would come before the holder can act on it.</summary>
    public const int MaxReminderDay = 365;

    private readonly SegelDatabase _database;
    private readonly SegelOptions _options;
    private readonly TimeProvider _time;

    internal RegencySettingsStore(SegelDatabase database, SegelOptions options, TimeProvider time)
    {
        _database = database;
        _options = options;
        _time = time;
    }

    public async Task<RegencySettings> GetAsync(CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        return await GetAsync(db, cancellationToken);
    }

    /// <summary>The settings as <paramref name="db"/> sees them (inside a caller's transaction).</summary>
    internal async Task<RegencySettings> GetAsync(SegelDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        string[] keys = [EmailDomainsKey, ReminderDaysKey, NationalCaEmailKey];
        Dictionary<string, SettingRecord> rows = await db.Settings.AsNoTracking().Where(s => keys.Contains(s.Key)).ToDictionaryAsync(s => s.Key, cancellationToken);
        rows.TryGetValue(EmailDomainsKey, out SettingRecord? domains);
        rows.TryGetValue(ReminderDaysKey, out SettingRecord? days);
        rows.TryGetValue(NationalCaEmailKey, out SettingRecord? national);
        return new RegencySettings(
            domains is null ? SegelOptions.EffectiveEmailDomains(_options.EmailDomains) : JsonSerializer.Deserialize<string[]>(domains.Value) ?? [],
            days is null ? _options.Lifecycle.EffectiveReminderDays() : JsonSerializer.Deserialize<int[]>(days.Value) ?? [],
            OriginOf(domains),
            OriginOf(days),
            national is null ? (string.IsNullOrWhiteSpace(_options.NationalCaEmail) ? null : _options.NationalCaEmail.Trim()) : national.Value,
            OriginOf(national));
    }

    /// <summary>
    /// Changes the e-mail domains and reminder days (administrators and policy administrators). The domains apply to
    /// applications and imports from now on — people already registered keep their addresses.
    /// </summary>
    public async Task<RegencySettings> UpdateAsync(IReadOnlyList<string> emailDomains, IReadOnlyList<string> reminderDays, Principal by, string? origin,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(emailDomains);
        ArgumentNullException.ThrowIfNull(reminderDays);
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.PolicyAdmin, "change-settings");
        string[] domains = Domains(emailDomains);
        int[] days = Days(reminderDays);

        await using SegelDbContext db = _database.CreateContext();
        RegencySettings before = await GetAsync(db, cancellationToken);
        DateTimeOffset now = _time.GetUtcNow();
        bool changed = false;
        if (!before.EmailDomains.SequenceEqual(domains))
        {
            await PutAsync(db, EmailDomainsKey, JsonSerializer.Serialize(domains), by.Name, now, cancellationToken);
            AuditLog.Record(db, _time, by.ToActor(origin), "settings.changed", EmailDomainsKey, new { from = before.EmailDomains, to = domains });
            changed = true;
        }
        if (!before.ReminderDays.SequenceEqual(days))
        {
            await PutAsync(db, ReminderDaysKey, JsonSerializer.Serialize(days), by.Name, now, cancellationToken);
            AuditLog.Record(db, _time, by.ToActor(origin), "settings.changed", ReminderDaysKey, new { from = before.ReminderDays, to = days });
            changed = true;
        }
        if (changed)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
            {
                throw SegelException.Conflict(Localized.Of("Error.SomeoneElseChangedSettingsSame"));
            }
        }
        return await GetAsync(db, cancellationToken);
    }

    /// <summary>Sets the national CA's contact address (administrators and policy administrators); audited.</summary>
    public async Task<RegencySettings> SetNationalCaEmailAsync(string? email, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.PolicyAdmin, "change-settings");
        string address = (email ?? "").Trim();
        if (address.Length is 0 or > 254 || !System.Net.Mail.MailAddress.TryCreate(address, out System.Net.Mail.MailAddress? parsed) || parsed.Address != address)
        {
            throw SegelException.Invalid("nationalCaEmail", Localized.Of("Error.NotEMailAddress", address));
        }
        await using SegelDbContext db = _database.CreateContext();
        RegencySettings before = await GetAsync(db, cancellationToken);
        if (before.NationalCaEmail != address)
        {
            await PutAsync(db, NationalCaEmailKey, address, by.Name, _time.GetUtcNow(), cancellationToken);
            AuditLog.Record(db, _time, by.ToActor(origin), "settings.changed", NationalCaEmailKey, new { from = before.NationalCaEmail, to = address });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
            {
                throw SegelException.Conflict(Localized.Of("Error.SomeoneElseChangedSettingsSame"));
            }
        }
        return await GetAsync(db, cancellationToken);
    }

    /// <summary>Splits what a person typed into one list (commas, semicolons, spaces or new lines between items).</summary>
    public static IReadOnlyList<string> Split(string? text) =>
        (text ?? "").Split([',', ';', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task PutAsync(SegelDbContext db, string key, string value, string by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        SettingRecord? row = await db.Settings.SingleOrDefaultAsync(s => s.Key == key, cancellationToken);
        if (row is null)
        {
            db.Settings.Add(new SettingRecord { Key = key, Value = value, ChangedAt = now, ChangedBy = by });
            return;
        }
        row.Value = value;
        row.ChangedAt = now;
        row.ChangedBy = by;
    }

    private static string[] Domains(IReadOnlyList<string> given)
    {
        string[] domains = given.Select(d => (d ?? "").Trim().TrimStart('@').ToLowerInvariant()).Where(d => d.Length > 0).Distinct().ToArray();
        if (domains.Length == 0)
        {
            throw SegelException.Invalid("emailDomains", Localized.Of("Error.GiveLeastEMailDomain"));
        }
        if (domains.Length > MaxDomains)
        {
            throw SegelException.Invalid("emailDomains", Localized.Of("Error.GiveMostEMailDomains", MaxDomains));
        }
        foreach (string domain in domains)
        {
            if (domain.Length > 253 || !DomainName().IsMatch(domain))
            {
                throw SegelException.Invalid("emailDomains", Localized.Of("Error.NotDomainNameTanahbumbukabGo", domain));
            }
        }
        return domains;
    }

    private static int[] Days(IReadOnlyList<string> given)
    {
        var days = new List<int>();
        foreach (string item in given.Select(d => (d ?? "").Trim()).Where(d => d.Length > 0))
        {
            if (!int.TryParse(item, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int day) || day < 1 || day > MaxReminderDay)
            {
                throw SegelException.Invalid("reminderDays", Localized.Of("Error.NotNumberDays1", item, MaxReminderDay));
            }
            days.Add(day);
        }
        int[] result = days.Distinct().OrderDescending().ToArray();
        if (result.Length == 0)
        {
            throw SegelException.Invalid("reminderDays", Localized.Of("Error.GiveLeastReminderDay30"));
        }
        if (result.Length > MaxReminders)
        {
            throw SegelException.Invalid("reminderDays", Localized.Of("Error.GiveMostReminderDays", MaxReminders));
        }
        return result;
    }

    private static SettingOrigin OriginOf(SettingRecord? row) => row is null ? SettingOrigin.File : new SettingOrigin(row.ChangedBy, row.ChangedAt);

    [GeneratedRegex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$")]
    private static partial Regex DomainName();
}
