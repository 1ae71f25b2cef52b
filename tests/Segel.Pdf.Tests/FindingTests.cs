using System.Globalization;
using System.Text.Json;
using Segel.Pdf.Verification;
using Segel.Pki.Validation;

namespace Segel.Pdf.Tests;

/// <summary>Findings are typed in code and keep their stable string on the wire; every code has words in both languages.</summary>
public sealed class FindingTests
{
    [Fact]
    public void The_wire_form_is_the_stable_string_and_reads_back()
    {
        var finding = new Finding(FindingCode.RevokedTimeUnproven, "Budi Santoso, 2026-01-02 03:04:05 UTC", FindingSource.TimeStampAuthority);
        Assert.Equal("tsa-revoked-time-unproven:Budi Santoso, 2026-01-02 03:04:05 UTC", finding.ToString());
        Assert.Equal("\"tsa-revoked-time-unproven:Budi Santoso, 2026-01-02 03:04:05 UTC\"", JsonSerializer.Serialize(finding));
        Assert.Equal(finding, JsonSerializer.Deserialize<Finding>(JsonSerializer.Serialize(finding)));
        Assert.Equal(new Finding(FindingCode.ChangesAfter, "dss"), Finding.Parse("changes-after:dss"));
        Assert.Null(Finding.Parse("no-such-finding"));
    }

    [Fact]
    public void Every_code_reads_as_a_sentence_in_both_languages()
    {
        foreach (FindingCode code in Enum.GetValues<FindingCode>())
        {
            var finding = new Finding(code);
            foreach (string language in new[] { "id", "en" })
            {
                string text = ReportText.Finding(finding, CultureInfo.GetCultureInfo(language));
                Assert.False(text == finding.Name, $"{finding.Name} has no {language} text in ReportText");
            }
            Assert.NotEqual(ReportText.Finding(finding, CultureInfo.GetCultureInfo("id")), ReportText.Finding(finding, CultureInfo.GetCultureInfo("en")));
        }
    }

    [Fact]
    public void Short_codes_in_a_finding_read_as_words_for_the_public()
    {
        var id = CultureInfo.GetCultureInfo("id");
        var en = CultureInfo.GetCultureInfo("en");
        Assert.EndsWith("(daftar sertifikat yang dicabut (CRL), jawaban OCSP)", ReportText.Finding(new Finding(FindingCode.RevocationGood, "crl,ocsp"), id), StringComparison.Ordinal);
        Assert.EndsWith("(long-term validation data (DSS))", ReportText.Finding(new Finding(FindingCode.ChangesAfter, "dss"), en), StringComparison.Ordinal);
        // What a disallowed change names stays exact: it is for whoever investigates the file.
        Assert.EndsWith("(object-changed 12 (stream))", ReportText.Finding(new Finding(FindingCode.DisallowedChange, "object-changed 12 (stream)"), en), StringComparison.Ordinal);
    }
}
