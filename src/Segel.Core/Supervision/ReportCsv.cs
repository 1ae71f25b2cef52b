using System.Globalization;
using System.Text;

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
        var rows = new List<(string Section, string Key, string Value)>
        {
            ("report", "period", report.Period.Name),
            ("report", "from", report.Period.From.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
            ("report", "to", report.Period.To.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
            ("report", "agency", report.Agency ?? "all"),
            ("report", "generated", report.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            ("report", "audit-intact", report.AuditIntact ? "yes" : "no"),
        };
        foreach (AgencyCoverage a in report.Coverage)
        {
            rows.Add(("coverage-employees", a.Code, Number(a.Employees)));
            rows.Add(("coverage-holders", a.Code, Number(a.Holders)));
            rows.Add(("coverage-percent", a.Code, a.Percent.ToString("0.0", CultureInfo.InvariantCulture)));
        }
        ApplicationFigures applications = report.Applications;
        rows.Add(("applications", "received", Number(applications.Received)));
        rows.Add(("applications", "approved", Number(applications.Approved)));
        rows.Add(("applications", "sent-back", Number(applications.SentBack)));
        rows.Add(("applications", "turnaround-median-hours", Hours(applications.TurnaroundMedianHours)));
        rows.Add(("applications", "turnaround-p90-hours", Hours(applications.TurnaroundP90Hours)));
        rows.AddRange(applications.SendBackReasons.Select(t => ("sent-back-reason", t.Key, Number(t.Count))));
        CertificateFigures certificates = report.Certificates;
        rows.Add(("certificates", "issued", Number(certificates.Issued)));
        rows.Add(("certificates", "renewed", Number(certificates.Renewed)));
        rows.Add(("certificates", "reissued", Number(certificates.Reissued)));
        rows.Add(("certificates", "expired-without-renewal", Number(certificates.ExpiredWithoutRenewal)));
        rows.Add(("certificates", "expiring-next-90-days", Number(certificates.ExpiringNext90Days)));
        rows.AddRange(certificates.RevokedByReason.Select(t => ("revoked-by-reason", t.Key, Number(t.Count))));
        rows.AddRange(report.SignaturesByAgency.Select(t => ("signatures-by-agency", t.Key, Number(t.Count))));
        rows.AddRange(report.SignaturesByApplication.Select(t => ("signatures-by-application", t.Key, Number(t.Count))));
        rows.AddRange(report.SignaturesByLevel.Select(t => ("signatures-by-level", t.Key, Number(t.Count))));
        rows.Add(("keys", "lockouts", Number(report.KeyLockouts)));
        rows.Add(("keys", "unlocks", Number(report.KeyUnlocks)));
        rows.Add(("certificates", "issued-outside-ra", Number(report.IssuedOutsideRa)));

        var text = new StringBuilder("section,key,value\r\n");
        foreach ((string section, string key, string value) in rows)
        {
            text.Append(Field(section)).Append(',').Append(Field(key)).Append(',').Append(Field(value)).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Hours(double? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "";

    // Quoted when it holds a comma, quote or line break; and a leading = + - @ is defused, so a reason an officer typed
    // cannot run as a formula in the spreadsheet that opens it.
    private static string Field(string value)
    {
        string safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
