using System.Globalization;
using Segel.Pdf.Writing;
using Segel.Texts;

namespace Segel.Core.Supervision;

/// <summary>
/// A report as a PDF for people to read and keep: Bahasa Indonesia by default (English on request), the figures in
/// tables and the coverage and signatures as charts. Unsigned, it is marked as a draft on every page; the signed
/// report is this document signed by <see cref="ReportSigning"/>.
/// </summary>
public static class ReportPdf
{
    public const string ContentType = "application/pdf";
    public static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The language asked for: <c>en</c> for English, anything else (or nothing) for Bahasa Indonesia.</summary>
    public static CultureInfo Language(string? tag) =>
        tag is not null && tag.Trim().StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Indonesian;

    /// <summary>One of the report's texts in <paramref name="language"/>.</summary>
    internal static string Text(string key, CultureInfo language) => Catalog.Find(key, language) ?? throw new InvalidOperationException($"No report text {key}.");

    /// <param name="signer">The name of who will sign it, written in the closing note; null for a draft.</param>
    public static byte[] Write(PeriodReport report, CultureInfo language, string? signer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(language);
        string T(string key) => Text(key, language);
        string F(string key, params object?[] values) => string.Format(language, T(key), values);
        string N(double value) => value.ToString(value % 1 == 0 ? "N0" : "N1", language);
        string Percent(double value) => value.ToString("N1", language);

        var pdf = new PdfComposer($"{T("PeriodReport.Title")} {report.Period.Name}", language.TwoLetterISOLanguageName) { Banner = signer is null ? T("PeriodReport.Draft") : null };
        pdf.Heading(T("PeriodReport.Title"));
        AgencyCoverage? only = report.Agency is null ? null : report.Coverage.SingleOrDefault(c => c.Code == report.Agency);
        pdf.Paragraph(only is null ? T("PeriodReport.Scope.Regency") : F("PeriodReport.Scope.Agency", only.Name, only.Code), 12, bold: true);
        pdf.Paragraph(T("PeriodReport.Basis"));
        pdf.Paragraph(F("PeriodReport.Fact.Period", report.Period.Name, report.Period.From.ToString("d MMMM yyyy", language),
            report.Period.To.AddTicks(-1).ToString("d MMMM yyyy", language)));
        pdf.Paragraph(F("PeriodReport.Fact.Generated", report.GeneratedAt.ToOffset(ReportPeriod.Wita).ToString("d MMMM yyyy HH:mm", language) + " WITA"));
        if (report.GeneratedAt < report.Period.To)
        {
            pdf.Paragraph(T("PeriodReport.Fact.Partial"), bold: true);
        }
        pdf.Paragraph(F("PeriodReport.Fact.Audit", T(report.AuditIntact ? "PeriodReport.Audit.Intact" : "PeriodReport.Audit.Broken")), bold: !report.AuditIntact);
        pdf.Paragraph(signer is null ? T("PeriodReport.Draft.Note") : F("PeriodReport.Signed.Note", signer), bold: true);

        pdf.Subheading(T("PeriodReport.Section.Coverage"));
        pdf.Paragraph(T("PeriodReport.Coverage.Intro"));
        pdf.Table([T("PeriodReport.Column.Agency"), T("PeriodReport.Column.Employees"), T("PeriodReport.Column.Holders"), T("PeriodReport.Column.Percent")],
            report.Coverage.Select(c => (IReadOnlyList<string>)[$"{c.Code} - {c.Name}", N(c.Employees), N(c.Holders), Percent(c.Percent)]), [5, 1.5, 1.5, 1.5], [1, 2, 3]);
        if (report.Coverage.Count > 1)
        {
            pdf.BarChart(T("PeriodReport.Chart.CoverageByAgency"), [.. report.Coverage.Select(c => new ChartValue(c.Code, c.Percent))], 100, Percent);
        }
        if (report.Trend.Count > 0)
        {
            pdf.LineChart(T("PeriodReport.Chart.Trend"), [.. report.Trend.Select(p => new ChartValue(p.Month, p.Percent))], 100, Percent);
            pdf.Table([T("PeriodReport.Column.Month"), T("PeriodReport.Column.Employees"), T("PeriodReport.Column.Holders"), T("PeriodReport.Column.Percent")],
                report.Trend.Select(p => (IReadOnlyList<string>)[p.Month, N(p.Employees), N(p.Holders), Percent(p.Percent)]), [3, 2, 2, 2], [1, 2, 3]);
        }
        if (report.Agency is not null && report.WorkUnits.Count > 0)
        {
            pdf.Paragraph(T("PeriodReport.WorkUnits"), bold: true);
            pdf.Table([T("PeriodReport.Column.WorkUnit"), T("PeriodReport.Column.Employees"), T("PeriodReport.Column.Holders"), T("PeriodReport.Column.Percent")],
                report.WorkUnits.Select(w => (IReadOnlyList<string>)[w.Name.Length == 0 ? T("PeriodReport.NoWorkUnit") : w.Name, N(w.Employees), N(w.Holders), Percent(w.Percent)]),
                [5, 1.5, 1.5, 1.5], [1, 2, 3]);
        }

        pdf.Subheading(T("PeriodReport.Section.Applications"));
        Items(pdf, T, ReportItems.Applications(report.Applications).Select(a => (a.Item, a.Value is double v ? N(v) : "-")));
        pdf.Paragraph(T("PeriodReport.SendBackReasons"), bold: true);
        Tallies(pdf, T, T("PeriodReport.Column.Reason"), report.Applications.SendBackReasons.Select(t => t with { Key = t.Key.Length == 0 ? T("PeriodReport.NoReason") : t.Key }), N);

        pdf.Subheading(T("PeriodReport.Section.Certificates"));
        Items(pdf, T, ReportItems.Certificates(report).Select(c => (c.Item, N(c.Value))));
        pdf.Paragraph(T("PeriodReport.RevokedByReason"), bold: true);
        Tallies(pdf, T, T("PeriodReport.Column.Reason"), report.Certificates.RevokedByReason, N);

        pdf.Subheading(T("PeriodReport.Section.Signatures"));
        if (report.SignaturesByAgency.Count > 1)
        {
            pdf.BarChart(T("PeriodReport.Chart.SignaturesByAgency"), [.. report.SignaturesByAgency.Select(t => new ChartValue(t.Key, t.Count))], 0, N);
        }
        Tallies(pdf, T, T("PeriodReport.Column.Agency"), report.SignaturesByAgency, N);
        pdf.Paragraph(T("PeriodReport.ByApplication"), bold: true);
        Tallies(pdf, T, T("PeriodReport.Column.Application"), report.SignaturesByApplication, N);
        pdf.Paragraph(T("PeriodReport.ByLevel"), bold: true);
        Tallies(pdf, T, T("PeriodReport.Column.Level"), report.SignaturesByLevel, N);

        pdf.Subheading(T("PeriodReport.Section.Keys"));
        Items(pdf, T, ReportItems.Keys(report).Select(k => (k.Item, N(k.Value))));
        if (report.ComplaintsReceived is not null)
        {
            pdf.Subheading(T("PeriodReport.Section.Complaints"));
            pdf.Table([T("PeriodReport.Column.Item"), T("PeriodReport.Column.Count")], ReportItems.Complaints(report).Select(c => (IReadOnlyList<string>)[T("PeriodReport.Complaint." + c.Item), N(c.Value)]), [6, 2], [1]);
        }
        pdf.Subheading(T("PeriodReport.Section.Findings"));
        if (report.Findings is not { Count: > 0 } findings)
        {
            pdf.Paragraph(T("PeriodReport.None"));
        }
        else
        {
            // Paragraphs, not a table: findings and follow-ups are sentences, and a table cell would cut them.
            int number = 1;
            foreach (FindingView f in findings)
            {
                pdf.Paragraph($"{number++}. {f.Finding}", bold: true);
                pdf.Paragraph(F("PeriodReport.Finding.Line", f.Agency ?? T("PeriodReport.Scope.Regency"), f.FollowUp, f.DueDate.ToString("d MMMM yyyy", language), T("PeriodReport.Finding." + ReportItems.Status(f))));
            }
        }
        return pdf.ToPdf((page, pages) => F("PeriodReport.Page", page, pages));
    }

    private static void Items(PdfComposer pdf, Func<string, string> text, IEnumerable<(string Item, string Value)> items) =>
        pdf.Table([text("PeriodReport.Column.Item"), text("PeriodReport.Column.Count")], items.Select(i => (IReadOnlyList<string>)[text("PeriodReport.Item." + i.Item), i.Value]), [6, 2], [1]);

    private static void Tallies(PdfComposer pdf, Func<string, string> text, string column, IEnumerable<Tally> tallies, Func<double, string> number)
    {
        List<Tally> rows = [.. tallies];
        if (rows.Count == 0)
        {
            pdf.Paragraph(text("PeriodReport.None"));
            return;
        }
        pdf.Table([column, text("PeriodReport.Column.Count")], rows.Select(t => (IReadOnlyList<string>)[t.Key, number(t.Count)]), [6, 2], [1]);
    }
}
