using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Notifications;
using Segel.Core.Privacy;
using Segel.Core.Settings;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

/// <summary>What every lifecycle service needs, wired once in <see cref="SegelCa"/>.</summary>
internal sealed class LifecycleContext(SegelDatabase database, TimeProvider time, MailOutbox outbox, SegelOptions options, PersonalDataProtector personalData,
    RegencySettingsStore settings)
{
    public SegelDatabase Database { get; } = database;

    public TimeProvider Time { get; } = time;

    public MailOutbox Outbox { get; } = outbox;

    public SegelOptions Options { get; } = options;

    public PersonalDataProtector PersonalData { get; } = personalData;

    /// <summary>The settings changed while Segel runs (e-mail domains, reminder days), read afresh for each use.</summary>
    public RegencySettingsStore Settings { get; } = settings;

    /// <summary>A valid address on one of the government domains in force (Pasal 14(f)).</summary>
    public async Task<string> OfficialEmailAsync(string? value, string field, CancellationToken cancellationToken)
    {
        RegencySettings settings = await Settings.GetAsync(cancellationToken);
        string email;
        try
        {
            email = Ca.SubjectValidation.Email(value);
        }
        catch (SegelException e)
        {
            throw new SegelException(e.Kind, e.Text, field); // the same message, about this form's field
        }
        if (!settings.IsOfficial(email))
        {
            throw SegelException.Invalid(field, Localized.Of("Error.AddressNotPasal14F", email, settings.DomainList));
        }
        return email.ToLowerInvariant();
    }

    public static CultureInfo Language => MailMessages.Indonesian;

    public string Organization => Options.Ca.Organization;

    /// <summary>An agency head acts only for their own agency; officers, admins and auditors see all (Pasal 10(3)).</summary>
    public static void RequireOwnAgency(Principal by, int agencyId, string action)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (by.Has(Role.AgencyHead) && !by.Has(Role.Admin | Role.RaOfficer | Role.Auditor) && by.AgencyId != agencyId)
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotAnotherAgency", by.Name, action));
        }
    }

    /// <summary>Saves, turning a lost race on a guarded row into a clear conflict.</summary>
    public static async Task SaveAsync(SegelDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw SegelException.Conflict(Localized.Of("Error.SomeoneElseChangedSameMoment"));
        }
    }

    /// <summary>The official addresses of the enabled agency-head accounts of each agency (through their employee records).</summary>
    internal static async Task<Dictionary<int, List<string>>> HeadAddressesAsync(SegelDbContext db, HashSet<int> agencies, CancellationToken cancellationToken)
    {
        int head = (int)Role.AgencyHead;
        var rows = await (from u in db.Users
                          join e in db.Employees on u.EmployeeId equals e.Id
                          where !u.Disabled && u.AgencyId != null && (u.Roles & head) != 0
                          select new { AgencyId = u.AgencyId!.Value, e.Email }).ToListAsync(cancellationToken);
        return rows.Where(r => agencies.Contains(r.AgencyId)).GroupBy(r => r.AgencyId).ToDictionary(g => g.Key, g => g.Select(r => r.Email).Distinct().ToList());
    }
}
