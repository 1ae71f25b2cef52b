using System.Globalization;
using System.Text;
using Segel.Pki.Validation;
using Segel.Texts;

namespace Segel.Pdf.Verification;

/// <summary>Renders verification reports for people, in Bahasa Indonesia (default) or English (<c>Finding.*</c>, <c>Change.*</c>, <c>PdfReport.*</c> in the <see cref="Catalog"/>).</summary>
public static class ReportText
{
    /// <summary>The conclusion in words: SAH (VALID), BELUM DAPAT DIPASTIKAN (INDETERMINATE), TIDAK SAH (INVALID).</summary>
    public static string Verdict(SignatureConclusion conclusion, CultureInfo? language = null)
    {
        return Catalog.Get(conclusion switch
        {
            SignatureConclusion.Valid => "Verdict.Valid",
            SignatureConclusion.Indeterminate => "Verdict.Indeterminate",
            _ => "Verdict.Invalid",
        }, language);
    }

    /// <summary>One finding as a sentence: whose check, what was found, and what it concerns.</summary>
    public static string Finding(Finding finding, CultureInfo? language = null)
    {
        ArgumentNullException.ThrowIfNull(finding);
        string line = Catalog.Find("Finding." + finding.Code, language) ?? finding.Name;
        line = finding.Source == FindingSource.TimeStampAuthority ? Catalog.Format("Finding.FromTimeStampAuthority", language, line) : line;
        return line + (finding.Detail is { } detail ? " (" + Detail(finding.Code, detail, language) + ")" : "");
    }

    /// <summary>
    /// What happened after the signature, in one sentence a member of the public understands (the class of
    /// <see cref="SignatureReport.Changes"/>); the findings below it carry the technical detail.
    /// </summary>
    public static string Changes(SignatureReport report, CultureInfo? language = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        bool refused = report.Findings.Any(f => f.Code is FindingCode.DisallowedChange or FindingCode.SignedRevisionUnreadable);
        bool certificationOnly = refused && report.Findings.Where(f => f.Code is FindingCode.DisallowedChange or FindingCode.SignedRevisionUnreadable)
            .All(f => f.Detail?.Contains("(DocMDP P=", StringComparison.Ordinal) == true);
        var kinds = report.Findings.Where(f => f.Code == FindingCode.ChangesAfter).Select(f => f.Detail).ToHashSet(StringComparer.Ordinal);
        string key = refused ? (certificationOnly ? "not-permitted" : "other") : report.Changes switch
        {
            ChangeClass.None => kinds.Contains("metadata") ? "metadata" : "none",
            ChangeClass.ValidationData => "validation-data",
            ChangeClass.FormFilling => kinds.Contains("form-fill") ? "form-filling" : "signature",
            ChangeClass.Annotations => "annotations",
            _ => "other",
        };
        return Catalog.Get("Change." + key, language);
    }

    /// <summary>Words for the short codes some findings carry (what changed, where revocation was learnt), so "(crl,ocsp)" reads as words.</summary>
    private static string Detail(FindingCode code, string detail, CultureInfo? language) => code is FindingCode.ChangesAfter or FindingCode.RevocationGood
        ? string.Join(", ", detail.Split(',').Select(part => Catalog.Find("DetailWord." + part.Trim(), language) ?? part.Trim()))
        : detail;

    public static string Render(IReadOnlyList<SignatureReport> reports, CultureInfo? language = null)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var text = new StringBuilder();
        if (reports.Count == 0)
        {
            return Catalog.Get("PdfReport.NoSignature", language) + "\n";
        }
        for (int i = 0; i < reports.Count; i++)
        {
            AppendSignature(text, reports[i], i + 1, null, language);
        }
        return text.ToString();
    }

    /// <summary>An ASiC-E container's report: its verdict and files, what is wrong with it as a whole, then each signature and the files it covers.</summary>
    public static string Render(Containers.ContainerReport report, CultureInfo? language = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Catalog.Get("PdfReport.Container", language)}: {Verdict(report.Conclusion, language)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  {Catalog.Get("PdfReport.SignedFiles", language)}: {string.Join(", ", report.Files)}\n");
        foreach (Finding finding in report.Findings)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - {Finding(finding, language)}\n");
        }
        if (report.Signatures.Count == 0)
        {
            text.Append(Catalog.Get("PdfReport.NoSignature", language)).Append('\n');
        }
        for (int i = 0; i < report.Signatures.Count; i++)
        {
            AppendSignature(text, report.Signatures[i].Report, i + 1, report.Signatures[i].SignedFiles, language);
        }
        return text.ToString();
    }

    private static void AppendSignature(StringBuilder text, SignatureReport r, int number, IReadOnlyList<string>? files, CultureInfo? language)
    {
        string verdict = Verdict(r.Conclusion, language);
        // A time-stamp in a container is its archive time-stamp (over the parts it names); in a PDF, a document time-stamp.
        string kind = Catalog.Get(r.Kind != "timestamp" ? "PdfReport.Signature" : files is null ? "PdfReport.DocumentTimeStamp" : "PdfReport.ArchiveTimeStamp", language);
        string certified = r.Certification is { } p ? Catalog.Format("PdfReport.Certification", language, p) : "";
        text.Append(CultureInfo.InvariantCulture, $"{kind} {number} ({r.Field}{certified}): {verdict}\n");
        text.Append(CultureInfo.InvariantCulture, $"  {Catalog.Get("PdfReport.Signer", language)}: {r.Signer ?? "?"}\n");
        if (r.ClaimedSigningTime is { } at)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {Catalog.Get("PdfReport.ClaimedTime", language)}: {at:yyyy-MM-dd HH:mm:ss} UTC\n");
        }
        if (files is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {Catalog.Get("PdfReport.SignedFiles", language)}: {string.Join(", ", files)}\n");
        }
        else if (!r.CoversWholeFile)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {Catalog.Get("PdfReport.AfterSigning", language)}: {Changes(r, language)}\n");
        }
        foreach (Finding finding in r.Findings)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - {Finding(finding, language)}\n");
        }
    }
}
