using System.Globalization;

namespace Segel.Core.Supervision;

/// <summary>
/// A report as one CSV table (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read the names right):
/// <c>section,key,value</c>, a row per figure, the sections in the order the report reads. One table rather than one
/// file per table, so it loads into any spreadsheet or script as it is.
/// </summary>
public static class ReportCsv
{
    public static byte[] Write(PeriodReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = new List<(string Section, string Key, string Value)>();
        rows.AddRange(ReportItems.Facts(report).Select(f => ("report", f.Item, f.Value)));
        foreach (AgencyCoverage a in report.Coverage)
        {
            rows.Add(("coverage-employees", a.Code, Number(a.Employees)));
            rows.Add(("coverage-holders", a.Code, Number(a.Holders)));
            rows.Add(("coverage-percent", a.Code, a.Percent.ToString("0.0", CultureInfo.InvariantCulture)));
        }
        foreach (WorkUnitCoverage w in report.WorkUnits)
        {
            string key = $"{w.Agency}/{w.Name}";
            rows.Add(("work-unit-employees", key, Number(w.Employees)));
            rows.Add(("work-unit-holders", key, Number(w.Holders)));
        }
        foreach (CoveragePoint p in report.Trend)
        {
            rows.Add(("trend-employees", p.Month, Number(p.Employees)));
            rows.Add(("trend-holders", p.Month, Number(p.Holders)));
            rows.Add(("trend-percent", p.Month, p.Percent.ToString("0.0", CultureInfo.InvariantCulture)));
        }
        rows.AddRange(ReportItems.Applications(report.Applications)
            .Select(a => ("applications", a.Item, a.Value?.ToString(a.Item.EndsWith("-hours", StringComparison.Ordinal) ? "0.0" : "0", CultureInfo.InvariantCulture) ?? "")));
        rows.AddRange(report.Applications.SendBackReasons.Select(t => ("sent-back-reason", t.Key, Number(t.Count))));
        rows.AddRange(ReportItems.Certificates(report).Select(c => ("certificates", c.Item, Number(c.Value))));
        rows.AddRange(report.Certificates.RevokedByReason.Select(t => ("revoked-by-reason", t.Key, Number(t.Count))));
        rows.AddRange(report.SignaturesByAgency.Select(t => ("signatures-by-agency", t.Key, Number(t.Count))));
        rows.AddRange(report.SignaturesByApplication.Select(t => ("signatures-by-application", t.Key, Number(t.Count))));
        rows.AddRange(report.SignaturesByLevel.Select(t => ("signatures-by-level", t.Key, Number(t.Count))));
        rows.AddRange(ReportItems.Keys(report).Select(k => ("keys", k.Item, Number(k.Value))));
        rows.AddRange(ReportItems.Complaints(report).Select(c => ("complaints", c.Item, Number(c.Value))));
        foreach (FindingView f in report.Findings ?? [])
        {
            string key = Number(f.Id);
            rows.Add(("finding", key, f.Finding));
            rows.Add(("finding-agency", key, f.Agency ?? "all"));
            rows.Add(("finding-follow-up", key, f.FollowUp));
            rows.Add(("finding-due", key, f.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            rows.Add(("finding-status", key, ReportItems.Status(f)));
        }

        return CsvTable.Write(["section", "key", "value"], rows.Select(r => new[] { r.Section, r.Key, r.Value }));
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
