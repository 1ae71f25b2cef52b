using System.CommandLine;
using Segel.Core.Accounts;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Core.Organization;
using Segel.Core.Settings;

namespace Segel.Cli.Commands;

/// <summary>Agencies, their work units and the settings changed while Segel runs — the console's door to the same core calls as the portal.</summary>
internal static class OrganizationCommand
{
    public static Command CreateAgencies()
    {
        Option<string?> data = CommonOptions.Data();
        var list = new Command("list", "List agencies (Perangkat Daerah) with their employees, certificate holders and coverage (Pasal 10).") { data };
        list.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            foreach (AgencyView a in await ca.Get<EmployeeDirectory>().AgenciesAsync(Principal.Console, cancellationToken: cancellationToken))
            {
                Console.WriteLine($"{a.Code,-16} {a.Employees,6} {a.Holders,6}  {a.Name}");
            }
            return 0;
        });

        Option<string?> addData = CommonOptions.Data();
        var code = new Option<string>("--code") { Description = "2–32 letters, digits, '-' or '_', e.g. BPBD; it never changes.", Required = true, HelpName = "CODE" };
        var name = new Option<string>("--name") { Description = "The agency's full name.", Required = true, HelpName = "TEXT" };
        var add = new Command("add", "Add an agency (imports also add them).") { addData, code, name };
        add.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, addData), cancellationToken);
            var agency = await ca.Get<AgencyRegistry>().CreateAsync(result.GetValue(code), result.GetValue(name), Principal.Console, "cli", cancellationToken);
            Console.WriteLine($"Added {agency.Code}: {agency.Name}");
            return 0;
        });

        Option<string?> unitsData = CommonOptions.Data();
        var unitsCode = new Option<string>("--code") { Description = "The agency's code.", Required = true, HelpName = "CODE" };
        var units = new Command("work-units", "An agency's work units (Unit Kerja) with their number of employees.") { unitsData, unitsCode };
        units.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, unitsData), cancellationToken);
            foreach (WorkUnitView u in await ca.Get<AgencyRegistry>().WorkUnitsAsync(result.GetValue(unitsCode), Principal.Console, cancellationToken))
            {
                Console.WriteLine($"{u.Id,6} {u.Employees,6}  {u.Name}");
            }
            return 0;
        });
        return new Command("agencies", "The regency's agencies (Perangkat Daerah) and their work units.") { list, add, units };
    }

    public static Command CreateSettings()
    {
        Option<string?> data = CommonOptions.Data();
        var show = new Command("show", "The e-mail domains and reminder days in force, and who changed them.") { data };
        show.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            Print(await ca.Get<RegencySettingsStore>().GetAsync(cancellationToken));
            return 0;
        });

        Option<string?> setData = CommonOptions.Data();
        var domains = new Option<string?>("--email-domains") { Description = "Domains official addresses must be on (Pasal 14(f)), comma-separated.", HelpName = "LIST" };
        var days = new Option<string?>("--reminder-days") { Description = "Days before expiry on which holders are reminded to renew (Pasal 18), comma-separated.", HelpName = "LIST" };
        var set = new Command("set", "Change them for every node at once (stored in the database; audited). What is not given stays.") { setData, domains, days };
        set.SetAction(async (result, cancellationToken) =>
        {
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, setData), cancellationToken);
            RegencySettings now = await ca.Get<RegencySettingsStore>().GetAsync(cancellationToken);
            string? newDomains = result.GetValue(domains), newDays = result.GetValue(days);
            Print(await ca.Get<RegencySettingsStore>().UpdateAsync(
                newDomains is null ? now.EmailDomains : RegencySettingsStore.Split(newDomains),
                newDays is null ? now.ReminderDays.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList() : RegencySettingsStore.Split(newDays),
                Principal.Console, "cli", cancellationToken));
            return 0;
        });
        return new Command("settings", "Settings changed while Segel runs: e-mail domains and renewal reminder days.") { show, set };
    }

    private static void Print(RegencySettings settings)
    {
        Console.WriteLine($"email-domains  {string.Join(", ", settings.EmailDomains)}  ({Origin(settings.EmailDomainsOrigin)})");
        Console.WriteLine($"reminder-days  {string.Join(", ", settings.ReminderDays)}  ({Origin(settings.ReminderDaysOrigin)})");
    }

    private static string Origin(SettingOrigin origin) =>
        origin.FromFile ? "segel.json or default" : $"changed by {origin.ChangedBy} at {origin.ChangedAt:yyyy-MM-dd HH:mm} UTC";
}
