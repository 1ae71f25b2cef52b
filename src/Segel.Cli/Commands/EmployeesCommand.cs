using System.CommandLine;
using Segel.Core.Accounts;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Organization;

namespace Segel.Cli.Commands;

internal static class EmployeesCommand
{
    public static Command CreateEmployees() => new("employees", "Civil servants (PNS) of the regency's agencies.") { Import(), List() };

    private static Command Import()
    {
        Option<string?> data = CommonOptions.Data();
        var file = new Option<string>("--file") { Description = "CSV with columns nip, nik, name, position, agency_code, agency_name, work_unit, email, and optionally agency_head (yes or no), status (active, retired, deceased, dismissed) and retirement_date (',' or ';'; Indonesian headers accepted).", Required = true, HelpName = "FILE" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check and report, but write nothing." };
        var noAccounts = new Option<bool>("--no-accounts") { Description = "Make no portal accounts (by default every employee without one gets a disabled account and an e-mailed link that opens it)." };
        var complete = new Option<bool>("--complete") { Description = "The file is the whole personnel list: disable the accounts of employees not in it (their records stay)." };
        var command = new Command("import", "Import or update employees from CSV. Any bad row: nothing is imported, and every problem is listed.") { data, file, dryRun, noAccounts, complete };
        command.SetAction(async (result, cancellationToken) =>
        {
            string path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new SegelException(ErrorKind.Invalid, $"The file {path} does not exist.", "--file");
            }
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            await using FileStream stream = File.OpenRead(path);
            ImportReport report = await ca.Get<EmployeeImport>().ImportCsvAsync(stream, Actor.Console(),
                new EmployeeImportOptions(result.GetValue(dryRun), !result.GetValue(noAccounts), result.GetValue(complete)), null, cancellationToken);
            foreach (ImportRowResult row in report.Rows.Where(r => r.Outcome == ImportOutcome.Rejected))
            {
                await Console.Error.WriteLineAsync($"line {row.Line} ({row.Nip ?? "no NIP"}): {string.Join("; ", row.Problems)}");
            }
            string counts = $"{report.Count(ImportOutcome.Created)} new, {report.Count(ImportOutcome.Updated)} changed, {report.Count(ImportOutcome.Unchanged)} unchanged";
            if (report.HasRejections)
            {
                await Console.Error.WriteLineAsync($"segel: nothing was imported: {report.Count(ImportOutcome.Rejected)} of {report.Rows.Count} rows have problems (listed above).");
                return ExitCodes.For(ErrorKind.Invalid);
            }
            Console.WriteLine(report.Applied ? $"Imported {report.Rows.Count} rows: {counts}." : $"Dry run, nothing written. Would import {report.Rows.Count} rows: {counts}.");
            ImportAccounts accounts = report.Accounts;
            Console.WriteLine(report.Applied
                ? $"Accounts: {accounts.Made} made and invited by e-mail, {accounts.HeadsChanged} agency heads designated or withdrawn, {accounts.Disabled} disabled."
                : $"Accounts: {accounts.Made} would be made and invited by e-mail, {accounts.Disabled} disabled.");
            if (report.RevocationsProposed > 0)
            {
                Console.WriteLine($"Revocation proposals opened for transfers and departures (Pasal 17(1)): {report.RevocationsProposed}; the former agencies' heads send them on with the signed letter.");
            }
            if (accounts.Skipped.Count > 0)
            {
                await Console.Error.WriteLineAsync($"segel: no account for {string.Join(", ", accounts.Skipped)}: each NIP is already another account's username.");
            }
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        Option<string?> data = CommonOptions.Data();
        var agency = new Option<string?>("--agency") { Description = "Only this agency (its code).", HelpName = "CODE" };
        var search = new Option<string?>("--search") { Description = "Words that must each occur in the name, NIP or e-mail (any part, any case, accents optional).", HelpName = "TEXT" };
        var limit = new Option<int>("--limit") { Description = "At most this many (default 100, at most 1000).", DefaultValueFactory = _ => 100, HelpName = "N" };
        var command = new Command("list", "List employees by name. The NIK is never shown.") { data, agency, search, limit };
        command.SetAction(async (result, cancellationToken) =>
        {
            int take = result.GetValue(limit);
            if (take is < 1 or > 1000)
            {
                throw new SegelException(ErrorKind.Invalid, $"--limit must be between 1 and 1000.", "--limit");
            }
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            // The same query as the API and the portal (by name; a NIP, a name or an e-mail prefix).
            IReadOnlyList<EmployeeView> employees = await Paging.FirstAsync(take, (offset, limit) =>
                ca.Get<EmployeeDirectory>().ListAsync(result.GetValue(agency), result.GetValue(search), offset, limit, Principal.Console, cancellationToken));
            foreach (EmployeeView e in employees)
            {
                Console.WriteLine($"{e.Nip}  {e.Agency,-12} {e.Name} — {e.Position ?? "-"} <{e.Email}>");
            }
            return 0;
        });
        return command;
    }
}
