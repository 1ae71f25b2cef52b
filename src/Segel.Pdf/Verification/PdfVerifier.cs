using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Cms;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;

namespace Segel.Pdf.Verification;

public enum SignatureConclusion
{
    Valid,
    Indeterminate,
    Invalid,
}

/// <summary>One signature's verdict and the findings behind it, as codes a report renders in the reader's language.</summary>
public sealed record SignatureReport(
    string Field,
    SignatureConclusion Conclusion,
    string? Signer,
    string? SubFilter,
    DateTimeOffset? ClaimedSigningTime,
    long[] ByteRange,
    bool CoversWholeFile,
    IReadOnlyList<string> Findings)
{
    /// <summary>When a time-stamping authority vouches the signature existed (PAdES B-T), if it does.</summary>
    public DateTimeOffset? TimeStamp { get; init; }
}

/// <summary>
/// Checks every signature in a PDF: the byte range (the whole revision but the /Contents hole), the digest and
/// CMS signature over it, and the signer's chain to the given trust anchors (RFC 5280 path validation by .NET's
/// X509Chain; revocation and later-change classification come next). Findings are stable codes.
/// </summary>
public static class PdfVerifier
{
    private static readonly System.Buffers.SearchValues<byte> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF"u8);

    public static IReadOnlyList<SignatureReport> Verify(ReadOnlyMemory<byte> file, IReadOnlyCollection<X509Certificate2> trustAnchors)
    {
        ArgumentNullException.ThrowIfNull(trustAnchors);
        PdfDocument document = PdfDocument.Open(file);
        var reports = new List<SignatureReport>();
        if (document.Resolve(document.Catalog["AcroForm"]) is not PdfDictionary form || document.Resolve(form["Fields"]) is not PdfArray fields)
        {
            return reports;
        }
        var seen = new HashSet<int>();
        foreach ((string name, PdfDictionary signature) in SignatureFields(document, fields, "", 0, seen))
        {
            reports.Add(VerifyOne(file, name, signature, trustAnchors));
        }
        return reports;
    }

    private static IEnumerable<(string Name, PdfDictionary Signature)> SignatureFields(PdfDocument document, PdfArray fields, string prefix, int depth, HashSet<int> seen)
    {
        if (depth > 32)
        {
            yield break;
        }
        foreach (PdfObject item in fields.Items)
        {
            if (item is PdfReference reference && !seen.Add(reference.Number))
            {
                continue;
            }
            if (document.Resolve(item) is not PdfDictionary field)
            {
                continue;
            }
            string name = prefix + ((document.Resolve(field["T"]) as PdfString)?.AsText() ?? "?");
            if (field.NameOf("FT") == "Sig" && document.Resolve(field["V"]) is PdfDictionary signature)
            {
                yield return (name, signature);
            }
            if (document.Resolve(field["Kids"]) is PdfArray kids)
            {
                foreach ((string, PdfDictionary) child in SignatureFields(document, kids, name + ".", depth + 1, seen))
                {
                    yield return child;
                }
            }
        }
    }

    private static SignatureReport VerifyOne(ReadOnlyMemory<byte> file, string name, PdfDictionary signature, IReadOnlyCollection<X509Certificate2> anchors)
    {
        var findings = new List<string>();
        string? subFilter = signature.NameOf("SubFilter");
        DateTimeOffset? claimed = ParseDate((signature["M"] as PdfString)?.AsText());
        long[] range = (signature["ByteRange"] as PdfArray)?.Items.Select(i => (long)((i as PdfNumber)?.Value ?? -1)).ToArray() ?? [];
        byte[]? cms = (signature["Contents"] as PdfString)?.Bytes;
        if (range.Length != 4 || range[0] != 0 || range[1] <= 0 || range[2] <= range[1] || range[3] < 0 || range[2] + range[3] > file.Length || cms is null)
        {
            findings.Add("byte-range-malformed");
            return new SignatureReport(name, SignatureConclusion.Invalid, null, subFilter, claimed, range, false, findings);
        }
        ReadOnlySpan<byte> bytes = file.Span;
        // The hole must be exactly the /Contents hex string: nothing else may escape the signature.
        bool holeIsContents = bytes[(int)range[1]] == '<' && bytes[(int)range[2] - 1] == '>' &&
            bytes[((int)range[1] + 1)..((int)range[2] - 1)].IndexOfAnyExcept(HexDigits) < 0;
        if (!holeIsContents)
        {
            findings.Add("byte-range-gap-not-contents");
        }
        bool whole = range[2] + range[3] == file.Length;
        findings.Add(whole ? "covers-whole-file" : "later-revisions-present");

        string? signer = null;
        DateTimeOffset? timeStamp = null;
        bool signatureOk = false;
        bool chainOk = false;
        try
        {
            // /Contents is zero-padded after the DER; only the first encoded value is the signature.
            byte[] der = new System.Formats.Asn1.AsnReader(cms, System.Formats.Asn1.AsnEncodingRules.BER).PeekEncodedValue().ToArray();
            var signed = new CmsSignedData(new RangeContent(file, range), der);
            SignerInformation? info = signed.GetSignerInfos().GetSigners().FirstOrDefault();
            X509Certificate? certificate = info is null ? null : signed.GetCertificates().EnumerateMatches(info.SignerID).FirstOrDefault();
            if (info is null || certificate is null)
            {
                findings.Add("signer-certificate-missing");
            }
            else
            {
                signer = certificate.SubjectDN.ToString();
                signatureOk = info.Verify(certificate);
                findings.Add(signatureOk ? "signature-intact" : "signature-or-digest-mismatch");
                timeStamp = CheckTimeStamp(info, findings);
                signatureOk &= !findings.Contains("timestamp-invalid");
                chainOk = ChainTrusted(certificate, signed.GetCertificates().EnumerateMatches(null), anchors, timeStamp ?? claimed, findings);
            }
        }
#pragma warning disable CA1031 // hostile bytes make BouncyCastle throw many kinds of exception (unknown algorithms, bad encodings); each means the same
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            findings.Add("cms-unreadable");
        }
        SignatureConclusion conclusion = !holeIsContents || !signatureOk ? SignatureConclusion.Invalid
            : chainOk ? SignatureConclusion.Valid : SignatureConclusion.Indeterminate;
        return new SignatureReport(name, conclusion, signer, subFilter, claimed, range, whole, findings) { TimeStamp = timeStamp };
    }

    /// <summary>The signature time-stamp (PAdES B-T), if any: its own signature and that it covers this signature value.</summary>
    private static DateTimeOffset? CheckTimeStamp(SignerInformation info, List<string> findings)
    {
        Org.BouncyCastle.Asn1.Cms.Attribute? attribute = info.UnsignedAttributes?[Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.IdAASignatureTimeStampToken];
        if (attribute is null)
        {
            return null;
        }
        try
        {
            var token = new Org.BouncyCastle.Tsp.TimeStampToken(new CmsSignedData(Org.BouncyCastle.Asn1.Cms.ContentInfo.GetInstance(attribute.AttrValues[0])));
            X509Certificate tsa = token.GetCertificates().EnumerateMatches(token.SignerID).FirstOrDefault()
                ?? throw new Org.BouncyCastle.Tsp.TspValidationException("the time-stamp carries no TSA certificate");
            token.Validate(tsa);
            string algorithm = token.TimeStampInfo.MessageImprintAlgOid;
            byte[] expected = algorithm switch
            {
                "2.16.840.1.101.3.4.2.1" => System.Security.Cryptography.SHA256.HashData(info.GetSignature()),
                "2.16.840.1.101.3.4.2.2" => System.Security.Cryptography.SHA384.HashData(info.GetSignature()),
                "2.16.840.1.101.3.4.2.3" => System.Security.Cryptography.SHA512.HashData(info.GetSignature()),
                _ => throw new Org.BouncyCastle.Tsp.TspValidationException("unsupported imprint algorithm"),
            };
            if (!token.TimeStampInfo.GetMessageImprintDigest().AsSpan().SequenceEqual(expected))
            {
                throw new Org.BouncyCastle.Tsp.TspValidationException("the time-stamp is over another signature");
            }
            var at = new DateTimeOffset(DateTime.SpecifyKind(token.TimeStampInfo.GenTime, DateTimeKind.Utc));
            findings.Add("timestamp-valid:" + at.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC, " + tsa.SubjectDN);
            return at;
        }
#pragma warning disable CA1031 // as above: any failure to read or check the token makes it invalid
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            findings.Add("timestamp-invalid");
            return null;
        }
    }

    private static bool ChainTrusted(X509Certificate signer, IEnumerable<X509Certificate> included, IReadOnlyCollection<X509Certificate2> anchors,
        DateTimeOffset? at, List<string> findings)
    {
        if (anchors.Count == 0)
        {
            findings.Add("no-trust-anchors");
            return false;
        }
        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(signer.GetEncoded());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = (at ?? DateTimeOffset.UtcNow).UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        foreach (X509Certificate extra in included)
        {
            chain.ChainPolicy.ExtraStore.Add(X509CertificateLoader.LoadCertificate(extra.GetEncoded()));
        }
        bool ok = chain.Build(leaf);
        findings.Add(ok ? "chain-trusted" : "chain-not-trusted:" + string.Join(",", chain.ChainStatus.Select(s => s.Status)));
        return ok;
    }

    private static DateTimeOffset? ParseDate(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.StartsWith("D:", StringComparison.Ordinal) || text.Length < 16)
        {
            return null;
        }
        return DateTimeOffset.TryParseExact(text[2..16], "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed) ? parsed : null;
    }

    /// <summary>The two signed ranges, written to the digest straight from the file's bytes.</summary>
    private sealed class RangeContent(ReadOnlyMemory<byte> file, long[] range) : CmsTypedData
    {
        public Org.BouncyCastle.Asn1.DerObjectIdentifier ContentType => Org.BouncyCastle.Asn1.Cms.CmsObjectIdentifiers.Data;

        public object GetContent() => throw new NotSupportedException("The content is streamed from the file.");

        public void Write(Stream outStream)
        {
            outStream.Write(file.Span.Slice(0, (int)range[1]));
            outStream.Write(file.Span.Slice((int)range[2], (int)range[3]));
        }
    }
}
