using System.CommandLine;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Supervision;

namespace Segel.Cli.Commands;

/// <summary><c>segel report</c>: Pasal 25's supervision figures for a period, for the regency or one agency.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        var period = new Option<string>("--period")
        {
            Description = "A half-year (2026-H1), a year (2026) or two dates (2026-01-01..2026-03-31), in the regency's time (WITA).",
            HelpName = "PERIOD",
            Required = true,
        };
        var agency = new Option<string?>("--agency") { Description = "One agency's report (its code); the whole regency when left out.", HelpName = "CODE" };
        var format = new Option<string>("--format") { Description = "csv (one table) or xlsx (a sheet per table); the signed PDF is still to come.", HelpName = "FORMAT", DefaultValueFactory = _ => "csv" };
        var output = new Option<string?>("--out") { Description = "Write the report here. Left out, a CSV goes to standard output; a workbook needs a file.", HelpName = "FILE" };
        var command = new Command("report", "The supervision report of a period (Pasal 25): coverage, applications, certificates, signatures, lockouts, issuance outside the RA, audit integrity.")
        {
            data, period, agency, format, output,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            ReportPeriod when = ReportPeriod.Parse(result.GetValue(period));
            string kind = (result.GetValue(format) ?? "csv").Trim().ToLowerInvariant();
            if (kind is not ("csv" or "xlsx"))
            {
                throw SegelException.Invalid("--format", $"A report is written as csv or xlsx (the signed PDF is still to come); not '{kind}'.");
            }
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            PeriodReport report = await ca.Get<PeriodReports>().ComputeAsync(when, result.GetValue(agency), Principal.Console, cancellationToken);
            byte[] content = kind == "xlsx" ? ReportXlsx.Write(report) : ReportCsv.Write(report);
            if (result.GetValue(output) is { } path)
            {
                CommonOptions.WriteFile(path, content);
                Console.WriteLine($"The report for {when.Name} ({report.Agency ?? "the whole regency"}) is in {path}.");
            }
            else if (kind == "xlsx")
            {
                throw SegelException.Invalid("--out", $"A workbook is written to a file: give --out.");
            }
            else
            {
                await using Stream stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(content.AsMemory(3), cancellationToken); // no byte-order mark on a terminal or pipe
            }
            return 0;
        });
        return command;
    }
}
