namespace Segel.Core.Supervision;

/// <summary>A report's file: its name (<c>laporan-2026-H1-dinkes.pdf</c>) and, for the tables, its bytes and type — one place for every door.</summary>
public static class ReportFiles
{
    public const string CsvType = "text/csv; charset=utf-8";

    /// <summary>The file name for a period and scope; <paramref name="suffix"/> marks a draft (<c>-draf</c>).</summary>
    public static string Name(ReportPeriod period, string? agency, string extension, string suffix = "")
    {
        ArgumentNullException.ThrowIfNull(period);
        return $"laporan-{period.Name}{(string.IsNullOrWhiteSpace(agency) ? "" : "-" + agency.Trim().ToLowerInvariant())}{suffix}.{extension}";
    }

    public static string Name(PeriodReport report, string extension, string suffix = "")
    {
        ArgumentNullException.ThrowIfNull(report);
        return Name(report.Period, report.Agency, extension, suffix);
    }

    /// <summary>The report as a CSV table or a workbook; null for any other format.</summary>
    public static (byte[] Content, string ContentType)? Table(PeriodReport report, string format) => format switch
    {
        "csv" => (ReportCsv.Write(report), CsvType),
        "xlsx" => (ReportXlsx.Write(report), ReportXlsx.ContentType),
        _ => null,
    };
}
