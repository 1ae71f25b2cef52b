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
        var format = new Option<string>("--format")
        {
            Description = "csv (one table), xlsx (a sheet per table) or pdf (tables and charts; signed with --signer, else a marked draft).",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => "csv",
        };
        var output = new Option<string?>("--out") { Description = "Write the report here. Left out, a CSV goes to standard output; a workbook or PDF needs a file.", HelpName = "FILE" };
        var language = new Option<string?>("--language") { Description = "The PDF's language: id (Bahasa Indonesia, the default) or en.", HelpName = "LANG" };
        var signer = new Option<string?>("--signer")
        {
            Description = "Sign the PDF (PAdES B-LT) as this account: an administrator or policy administrator with a key Segel keeps.",
            HelpName = "USER",
        };
        var passphraseFile = new Option<string?>("--passphrase-file") { Description = "A file holding the signer's passphrase; read once, never stored.", HelpName = "FILE" };
        var command = new Command("report", "The supervision report of a period (Pasal 25): coverage, applications, certificates, signatures, lockouts, issuance outside the RA, audit integrity.")
        {
            data, period, agency, format, output, language, signer, passphraseFile,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            ReportPeriod when = ReportPeriod.Parse(result.GetValue(period));
            string kind = (result.GetValue(format) ?? "csv").Trim().ToLowerInvariant();
            if (kind is not ("csv" or "xlsx" or "pdf"))
            {
                throw new SegelException(ErrorKind.Invalid, $"A report is written as csv, xlsx or pdf; not '{kind}'.", "--format");
            }
            if (kind != "csv" && result.GetValue(output) is null)
            {
                throw new SegelException(ErrorKind.Invalid, $"A workbook or PDF is written to a file: give --out.", "--out");
            }
            ReportSigner? signedBy = null;
            if (result.GetValue(signer) is { } user)
            {
                if (kind != "pdf")
                {
                    throw new SegelException(ErrorKind.Invalid, $"Only the PDF is signed; use --format pdf with --signer.", "--signer");
                }
                signedBy = new ReportSigner(user, CommonOptions.ReadSecret(result.GetValue(passphraseFile)
                    ?? throw new SegelException(ErrorKind.Invalid, $"--signer needs --passphrase-file.", "--passphrase-file")) ?? "");
            }
            using ConsoleCore ca = await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken);
            byte[] content;
            string scope;
            if (kind == "pdf")
            {
                content = await ca.Get<ReportSigning>().PdfAsync(when, result.GetValue(agency), ReportPdf.Language(result.GetValue(language)), signedBy, Principal.Console,
                    null, cancellationToken);
                scope = result.GetValue(agency)?.Trim().ToUpperInvariant() ?? "the whole regency";
            }
            else
            {
                PeriodReport report = await ca.Get<PeriodReports>().ComputeAsync(when, result.GetValue(agency), Principal.Console, cancellationToken);
                content = kind == "xlsx" ? ReportXlsx.Write(report) : ReportCsv.Write(report);
                scope = report.Agency ?? "the whole regency";
            }
            if (result.GetValue(output) is { } path)
            {
                CommonOptions.WriteFile(path, content);
                string what = kind != "pdf" ? "report" : signedBy is null ? "draft report (unsigned)" : $"report signed by {signedBy.Username}";
                Console.WriteLine($"The {what} for {when.Name} ({scope}) is in {path}.");
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
