using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Segel.Core.Supervision;

/// <summary>
/// A report as a workbook, one sheet per table (the same tables and names as the CSV's sections), written with the
/// Open XML SDK. Numbers are numbers, so a spreadsheet sums them; every text is an inline string, never a formula,
/// so nothing an officer typed (a send-back reason) can run when the file is opened.
/// </summary>
public static class ReportXlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Write(PeriodReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (SpreadsheetDocument document = SpreadsheetDocument.Create(stream, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            WorkbookPart workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            Sheets sheets = workbook.Workbook.AppendChild(new Sheets());
            uint number = 1;
            foreach ((string name, object?[] header, IEnumerable<object?[]> rows) in Tables(report))
            {
                WorksheetPart part = workbook.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                data.Append(Row(header));
                foreach (object?[] row in rows)
                {
                    data.Append(Row(row));
                }
                part.Worksheet = new Worksheet(data);
                sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = number++, Name = name });
            }
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    private static IEnumerable<(string Name, object?[] Header, IEnumerable<object?[]> Rows)> Tables(PeriodReport report)
    {
        object?[] itemValue = ["item", "value"];
        object?[] keyCount = ["key", "count"];
        yield return ("report", itemValue, ReportItems.Facts(report).Select(f => new object?[] { f.Item, f.Value }));
        yield return ("coverage", ["code", "name", "employees", "holders", "percent"],
            report.Coverage.Select(c => new object?[] { c.Code, c.Name, c.Employees, c.Holders, c.Percent }));
        yield return ("work-units", ["agency", "work-unit", "employees", "holders", "percent"],
            report.WorkUnits.Select(w => new object?[] { w.Agency, w.Name, w.Employees, w.Holders, w.Percent }));
        yield return ("coverage-trend", ["month", "employees", "holders", "percent"],
            report.Trend.Select(p => new object?[] { p.Month, p.Employees, p.Holders, p.Percent }));
        yield return ("applications", itemValue, ReportItems.Applications(report.Applications).Select(a => new object?[] { a.Item, a.Value }));
        yield return ("sent-back-reasons", ["reason", "count"], Tallies(report.Applications.SendBackReasons));
        yield return ("certificates", itemValue, ReportItems.Certificates(report).Select(c => new object?[] { c.Item, c.Value }));
        yield return ("revoked-by-reason", keyCount, Tallies(report.Certificates.RevokedByReason));
        yield return ("signatures-by-agency", keyCount, Tallies(report.SignaturesByAgency));
        yield return ("signatures-by-application", keyCount, Tallies(report.SignaturesByApplication));
        yield return ("signatures-by-level", keyCount, Tallies(report.SignaturesByLevel));
        yield return ("keys", itemValue, ReportItems.Keys(report).Select(k => new object?[] { k.Item, k.Value }));
        yield return ("complaints", itemValue, ReportItems.Complaints(report).Select(c => new object?[] { c.Item, c.Value }));
        yield return ("findings", ["id", "period", "agency", "finding", "follow-up", "due", "status"], (report.Findings ?? []).Select(f => new object?[]
            { f.Id, f.Period, f.Agency ?? "all", f.Finding, f.FollowUp, f.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ReportItems.Status(f) }));
    }

    private static IEnumerable<object?[]> Tallies(IEnumerable<Tally> tallies) => tallies.Select(t => new object?[] { t.Key, t.Count });

    private static Row Row(IEnumerable<object?> values)
    {
        var row = new Row();
        foreach (object? value in values)
        {
            row.Append(value switch
            {
                null => new Cell(),
                int or long or double => new Cell { DataType = CellValues.Number, CellValue = new CellValue(Convert.ToString(value, CultureInfo.InvariantCulture)!) },
                _ => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value.ToString() ?? "")) },
            });
        }
        return row;
    }
}
