using System.Globalization;
using System.Text;
using Segel.Pki.Validation;

namespace Segel.Pdf.Verification;

/// <summary>Renders verification reports for people, in Bahasa Indonesia (default) or English.</summary>
public static class ReportText
{
    private static readonly Dictionary<FindingCode, (string Id, string En)> Findings = new()
    {
        [FindingCode.ByteRangeMalformed] = ("rentang bita (/ByteRange) rusak atau di luar berkas", "the byte range (/ByteRange) is malformed or outside the file"),
        [FindingCode.ByteRangeGapNotContents] = ("celah rentang bita memuat lebih dari tanda tangan: ada bagian berkas yang tidak ditandatangani", "the byte-range gap holds more than the signature: part of the file is not signed"),
        [FindingCode.CoversWholeFile] = ("tanda tangan mencakup seluruh berkas", "the signature covers the whole file"),
        [FindingCode.LaterRevisionsPresent] = ("berkas diubah atau ditandatangani lagi setelah tanda tangan ini", "the file was changed or signed again after this signature"),
        [FindingCode.SignerCertificateMissing] = ("sertifikat penanda tangan tidak ada dalam tanda tangan", "the signer's certificate is not in the signature"),
        [FindingCode.SignatureIntact] = ("isi yang ditandatangani utuh dan tanda tangan sah secara kriptografis", "the signed content is intact and the signature is cryptographically valid"),
        [FindingCode.SignatureOrDigestMismatch] = ("isi berubah setelah ditandatangani atau tanda tangan tidak cocok", "the content changed after signing or the signature does not match"),
        [FindingCode.CmsUnreadable] = ("tanda tangan (CMS) tidak dapat dibaca", "the signature (CMS) cannot be read"),
        [FindingCode.NoTrustAnchors] = ("tidak ada sertifikat akar tepercaya untuk memeriksa rantai (gunakan --trust)", "no trusted root to check the chain against (use --trust)"),
        [FindingCode.ChainTrusted] = ("rantai sertifikat sampai ke akar tepercaya", "the certificate chain reaches a trusted root"),
        [FindingCode.TimestampValid] = ("cap waktu dari otoritas cap waktu sah", "a time-stamping authority vouches for the time"),
        [FindingCode.TimestampInvalid] = ("cap waktu rusak atau bukan untuk tanda tangan ini", "the time-stamp is broken or not for this signature"),
        [FindingCode.ChainNotTrusted] = ("rantai sertifikat tidak sampai ke akar tepercaya", "the certificate chain does not reach a trusted root"),
        [FindingCode.RevocationGood] = ("tidak ada sertifikat dalam rantai yang dicabut pada waktu penandatanganan", "no certificate in the chain was revoked at the signing time"),
        [FindingCode.RevocationUnknown] = ("status pencabutan sertifikat tidak dapat diketahui (tidak ada OCSP/CRL di berkas dan tidak dapat diambil)", "the certificate's revocation status is unknown (no OCSP/CRL in the file and none could be fetched)"),
        [FindingCode.CertificateRevoked] = ("sertifikat sudah dicabut sebelum waktu penandatanganan", "the certificate was revoked before the signing time"),
        [FindingCode.RevokedAfterSigning] = ("sertifikat dicabut setelah penandatanganan; cap waktu membuktikan tanda tangan dibuat sebelumnya", "the certificate was revoked after signing; a time-stamp proves the signature came first"),
        [FindingCode.RevokedTimeUnproven] = ("sertifikat sudah dicabut dan tidak ada cap waktu yang membuktikan tanda tangan dibuat sebelumnya", "the certificate is revoked and no time-stamp proves the signature came first"),
        [FindingCode.WeakAlgorithm] = ("tanda tangan bergantung pada algoritme atau kunci yang sudah tidak aman (misalnya SHA-1 atau RSA di bawah 2048 bit) dan tidak ada cap waktu yang membuktikan tanda tangan dibuat ketika algoritme itu masih dapat diterima", "the signature rests on an algorithm or key no longer safe (such as SHA-1 or RSA below 2048 bits) and no time-stamp proves it was made while that was still acceptable"),
        [FindingCode.ChangesAfter] = ("perubahan setelah tanda tangan ini yang diizinkan", "changes after this signature that are allowed"),
        [FindingCode.DisallowedChange] = ("PERUBAHAN YANG TIDAK DIIZINKAN setelah tanda tangan ini (isi yang terlihat bisa berbeda dari yang ditandatangani)", "A CHANGE NOT ALLOWED after this signature (what is shown may differ from what was signed)"),
        [FindingCode.CertificateNonconforming] = ("sertifikat dalam rantai dibuat tidak sesuai RFC 5280, sehingga tidak dipercaya", "a certificate in the chain breaks RFC 5280's rules for certificates, so it is not trusted"),
        [FindingCode.SignerExpiredUnproven] = ("tanda tangan ini tidak bercap waktu dan sertifikat penanda tangan sudah habis masa berlakunya; waktu penandatanganan hanya pengakuan penanda tangan, jadi tidak terbukti tanda tangan dibuat selagi sertifikat berlaku", "this signature has no time-stamp and the signer's certificate has expired; the signing time is only the signer's claim, so nothing proves the signature was made while the certificate was valid"),
        [FindingCode.TimestampExpiredUnproven] = ("sertifikat otoritas cap waktu sudah habis masa berlakunya dan tidak ada cap waktu dokumen yang lebih baru yang membuktikan cap waktu ini dibuat sebelumnya (perpanjang dengan segel pdf extend selagi masih berlaku)", "the time-stamping authority's certificate has expired and no later document time-stamp proves this time-stamp was made before then (extend documents with segel pdf extend while they still verify)"),
        [FindingCode.SignedRevisionUnreadable] = ("versi berkas yang ditandatangani tidak dapat dibaca", "the signed revision of the file cannot be read"),
    };

    /// <summary>The conclusion in words: SAH (VALID), BELUM DAPAT DIPASTIKAN (INDETERMINATE), TIDAK SAH (INVALID).</summary>
    public static string Verdict(SignatureConclusion conclusion, CultureInfo? language = null)
    {
        bool id = IsIndonesian(language);
        return conclusion switch
        {
            SignatureConclusion.Valid => id ? "SAH (VALID)" : "VALID",
            SignatureConclusion.Indeterminate => id ? "BELUM DAPAT DIPASTIKAN (INDETERMINATE)" : "INDETERMINATE",
            _ => id ? "TIDAK SAH (INVALID)" : "INVALID",
        };
    }

    /// <summary>One finding as a sentence: whose check, what was found, and what it concerns.</summary>
    public static string Finding(Finding finding, CultureInfo? language = null)
    {
        ArgumentNullException.ThrowIfNull(finding);
        bool id = IsIndonesian(language);
        string line = Findings.TryGetValue(finding.Code, out var t) ? (id ? t.Id : t.En) : finding.Name;
        line = finding.Source == FindingSource.TimeStampAuthority ? (id ? "otoritas cap waktu: " : "time-stamping authority: ") + line : line;
        return line + (finding.Detail is { } detail ? " (" + Detail(finding.Code, detail, id) + ")" : "");
    }

    private static readonly Dictionary<string, (string Id, string En)> ChangeSentences = new(StringComparer.Ordinal)
    {
        ["none"] = ("tidak ada yang diubah setelah tanda tangan ini", "nothing was changed after this signature"),
        ["metadata"] = ("setelah tanda tangan ini hanya data keterangan berkas (metadata) yang diperbarui; isi yang ditandatangani tidak berubah",
            "only the file's descriptive data (metadata) was updated after this signature; the signed content is unchanged"),
        ["validation-data"] = ("setelah tanda tangan ini hanya data validasi yang ditambahkan (sertifikat, status pencabutan, cap waktu); isi yang ditandatangani tidak berubah",
            "only validation data was added after this signature (certificates, revocation status, time-stamps); the signed content is unchanged"),
        ["signature"] = ("tanda tangan lain ditambahkan setelah tanda tangan ini; isi yang ditandatangani tidak berubah",
            "another signature was added after this one; the signed content is unchanged"),
        ["form-filling"] = ("formulir diisi setelah tanda tangan ini; isi lain yang ditandatangani tidak berubah",
            "the form was filled in after this signature; the rest of the signed content is unchanged"),
        ["annotations"] = ("komentar atau tanda ditambahkan setelah tanda tangan ini; tidak ada yang menutupi teks yang ditandatangani",
            "comments or markings were added after this signature; none covers the signed text"),
        ["not-permitted"] = ("ada perubahan setelah tanda tangan ini yang tidak diizinkan oleh penanda tangan yang mengesahkan dokumen — jangan percayai isinya",
            "changes were made after this signature that the document's certifying signer did not allow — do not trust its content"),
        ["other"] = ("isi dokumen diubah setelah tanda tangan ini — jangan percayai isinya", "the content was changed after this signature — do not trust it"),
    };

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
        (string id, string en) = ChangeSentences[key];
        return IsIndonesian(language) ? id : en;
    }

    /// <summary>Words for the short codes some findings carry (what changed, where revocation was learnt), so "(crl,ocsp)" reads as words.</summary>
    private static readonly Dictionary<string, (string Id, string En)> DetailWords = new(StringComparer.Ordinal)
    {
        ["signature"] = ("tanda tangan berikutnya", "a later signature"),
        ["timestamp"] = ("cap waktu dokumen", "a document time-stamp"),
        ["dss"] = ("data validasi jangka panjang (DSS)", "long-term validation data (DSS)"),
        ["annotation"] = ("anotasi", "annotations"),
        ["form-fill"] = ("pengisian formulir", "form filling"),
        ["metadata"] = ("data keterangan berkas (metadata)", "the file's descriptive data (metadata)"),
        ["crl"] = ("daftar sertifikat yang dicabut (CRL)", "certificate revocation list (CRL)"),
        ["ocsp"] = ("jawaban OCSP", "OCSP answer"),
    };

    private static string Detail(FindingCode code, string detail, bool id) => code is FindingCode.ChangesAfter or FindingCode.RevocationGood
        ? string.Join(", ", detail.Split(',').Select(part => DetailWords.TryGetValue(part.Trim(), out var words) ? (id ? words.Id : words.En) : part.Trim()))
        : detail;

    // By the name, not TwoLetterISOLanguageName: segel-pdf runs without ICU, where every culture but the invariant one says "iv".
    private static bool IsIndonesian(CultureInfo? language) => (language is null ? "id" : language.Name.Split('-')[0]) is "id" or "in";

    public static string Render(IReadOnlyList<SignatureReport> reports, CultureInfo? language = null)
    {
        ArgumentNullException.ThrowIfNull(reports);
        bool id = IsIndonesian(language);
        var text = new StringBuilder();
        if (reports.Count == 0)
        {
            return id ? "Berkas ini tidak memuat tanda tangan.\n" : "This file holds no signature.\n";
        }
        for (int i = 0; i < reports.Count; i++)
        {
            SignatureReport r = reports[i];
            string verdict = Verdict(r.Conclusion, language);
            string kind = r.Kind == "timestamp" ? (id ? "Cap waktu dokumen" : "Document time-stamp") : (id ? "Tanda tangan" : "Signature");
            string certified = r.Certification is { } p ? (id ? $", sertifikasi P={p}" : $", certification P={p}") : "";
            text.Append(CultureInfo.InvariantCulture, $"{kind} {i + 1} ({r.Field}{certified}): {verdict}\n");
            text.Append(CultureInfo.InvariantCulture, $"  {(id ? "Penanda tangan" : "Signer")}: {r.Signer ?? "?"}\n");
            if (r.ClaimedSigningTime is { } at)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {(id ? "Waktu (menurut penanda tangan)" : "Time (as claimed)")}: {at:yyyy-MM-dd HH:mm:ss} UTC\n");
            }
            if (!r.CoversWholeFile)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {(id ? "Sesudah ditandatangani" : "After signing")}: {Changes(r, language)}\n");
            }
            foreach (Finding finding in r.Findings)
            {
                text.Append(CultureInfo.InvariantCulture, $"  - {Finding(finding, language)}\n");
            }
        }
        return text.ToString();
    }
}
