using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pki;
using Segel.Pki.Validation;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

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
    IReadOnlyList<Finding> Findings)
{
    /// <summary>The conclusion as ETSI EN 319 102-1 names it.</summary>
    public Indication Indication => Indications.Of(Conclusion);

    /// <summary>Why it is not TOTAL_PASSED (ETSI EN 319 102-1 Table 6); null when it is.</summary>
    public SubIndication? SubIndication => Indications.Reason(Conclusion, Findings);

    /// <summary>When a trusted time-stamping authority vouches the signature existed (PAdES B-T), if it does.</summary>
    public DateTimeOffset? TimeStamp { get; init; }

    /// <summary>The authority of a well-formed time-stamp over the signature (or of a document time-stamp), trusted or not.</summary>
    public string? TimeStampAuthority { get; init; }

    /// <summary><c>signature</c>, or <c>timestamp</c> for a document time-stamp (PAdES B-LTA).</summary>
    public string Kind { get; init; } = "signature";

    /// <summary>For a certification signature, what it allows after it (DocMDP P); null for an approval signature.</summary>
    public int? Certification { get; init; }

    /// <summary>The highest class of change made after this signature (<see cref="ChangeClass"/>), allowed or not.</summary>
    public ChangeClass Changes { get; init; }

    /// <summary>/Reason and /Location of the signature dictionary, as the signer wrote them.</summary>
    public string? Reason { get; init; }

    public string? Location { get; init; }

    /// <summary>The signer certificate's issuer and validity, when the certificate is in the signature.</summary>
    public string? SignerIssuer { get; init; }

    public DateTimeOffset? SignerValidFrom { get; init; }

    public DateTimeOffset? SignerValidTo { get; init; }
}

/// <summary>
/// Checks every signature and document time-stamp in a PDF: the byte range (the whole revision but the
/// /Contents hole); the digest and CMS signature over it; the signature time-stamp and its TSA; the signer's
/// chain to the given trust anchors (RFC 5280, .NET's X509Chain) and each certificate's revocation status at
/// the signing time, from the file's DSS or fetched; and what changed in later revisions, allowed or not.
/// Findings are typed (<see cref="Finding"/>); <see cref="ReportText"/> renders them in the reader's language.
/// </summary>
public static class PdfVerifier
{
    private static readonly System.Buffers.SearchValues<byte> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF"u8);

    public static async Task<IReadOnlyList<SignatureReport>> VerifyAsync(ReadOnlyMemory<byte> file, IReadOnlyCollection<X509Certificate2> trustAnchors,
        PdfVerificationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trustAnchors);
        options ??= new PdfVerificationOptions();
        PdfDocument document = PdfDocument.Open(file, options.Password, InflateBudget.For(file.Length, options.Limits));
        var reports = new List<SignatureReport>();
        var context = new Context(file, document, options.Password, trustAnchors, DssEvidence.Read(document, options.Revocation), options.Now ?? DateTimeOffset.UtcNow,
            DocMdp.Permissions(document), options.Policy, cancellationToken);
        List<(string Name, PdfDictionary Signature)> signatures = [.. SignedFields(document)];
        // Latest revision first: a document time-stamp that holds proves that everything signed before it existed at
        // its time (ETSI EN 319 102-1 §5.6.2.3, proof of existence), so an earlier time-stamp whose authority has
        // expired since still counts, and a chain of document time-stamps carries a signature through the decades.
        var proofs = new List<(long Covers, DateTimeOffset Time)>();
        var ordered = new SignatureReport[signatures.Count];
        foreach (int i in Enumerable.Range(0, signatures.Count).OrderByDescending(i => RevisionEnd(signatures[i].Signature)))
        {
            long end = RevisionEnd(signatures[i].Signature);
            DateTimeOffset? proof = proofs.Where(p => end <= p.Covers).Select(p => (DateTimeOffset?)p.Time).Min();
            SignatureReport report = await VerifyOne(context, signatures[i].Name, signatures[i].Signature, proof);
            if (report is { Kind: "timestamp", Conclusion: SignatureConclusion.Valid, TimeStamp: { } time })
            {
                proofs.Add((report.ByteRange[1], time));
            }
            ordered[i] = report;
        }
        reports.AddRange(ordered);
        return reports;
    }

    /// <summary>
    /// A detached CAdES signature over <paramref name="content"/> (an ASiC-E container's manifest, a .p7s beside its file),
    /// checked as a PDF's signature is: the signature value, its time-stamp, the algorithm policy and the path with
    /// revocation. The claimed time is the signing-time attribute, the signer's word only. The validation data the
    /// signature carries (CAdES B-LT) is the first evidence; <paramref name="proof"/> is when a valid archive time-stamp
    /// proves the signature existed (a container's B-LTA), as a document time-stamp does in a PDF.
    /// </summary>
    internal static async Task<SignatureReport> VerifyDetachedAsync(string name, byte[] cms, byte[] content, IReadOnlyCollection<X509Certificate2> trustAnchors,
        PdfVerificationOptions options, DateTimeOffset? proof, CancellationToken cancellationToken)
    {
        var context = new Context(content, null, null, trustAnchors, CadesValidationData.Read(cms, options.Revocation), options.Now ?? DateTimeOffset.UtcNow, null,
            options.Policy, cancellationToken);
        var findings = new List<Finding>();
        long[] whole = [0, content.Length, content.Length, 0];
        DateTimeOffset? claimed = null;
        Outcome outcome;
        try
        {
            claimed = SigningTime(cms);
            outcome = await Signature(context, cms, whole, claimed, proof ?? context.Now, sha1Digest: false, findings);
        }
#pragma warning disable CA1031 // as for a PDF's signature: hostile bytes make BouncyCastle throw many kinds of exception
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
#pragma warning restore CA1031
        {
            findings.Add(new(FindingCode.CmsUnreadable));
            outcome = new Outcome(null, null, false, ChainVerdict.Indeterminate, null, null);
        }
        SignatureConclusion conclusion = Conclude(outcome);
        return new SignatureReport(name, conclusion, outcome.Signer, "ETSI.CAdES.detached", claimed, whole, true, findings)
        {
            TimeStamp = outcome.TimeStamp,
            TimeStampAuthority = outcome.Authority,
            SignerIssuer = outcome.Certificate?.IssuerDN.ToString(),
            SignerValidFrom = outcome.Certificate is { } c ? new DateTimeOffset(c.NotBefore.ToUniversalTime(), TimeSpan.Zero) : null,
            SignerValidTo = outcome.Certificate is { } d ? new DateTimeOffset(d.NotAfter.ToUniversalTime(), TimeSpan.Zero) : null,
        };
    }

    /// <summary>
    /// A time-stamp token over <paramref name="content"/> on its own (an ASiC-E container's archive time-stamp over its
    /// archive manifest), judged as a PDF's document time-stamp is, with <paramref name="evidence"/> for its authority;
    /// <paramref name="proof"/> is when a later archive time-stamp proves this one existed.
    /// </summary>
    internal static async Task<SignatureReport> VerifyTimeStampAsync(string name, byte[] token, byte[] content, IReadOnlyCollection<X509Certificate2> trustAnchors,
        PdfVerificationOptions options, RevocationEvidence evidence, DateTimeOffset? proof, CancellationToken cancellationToken)
    {
        var context = new Context(content, null, null, trustAnchors, evidence, options.Now ?? DateTimeOffset.UtcNow, null, options.Policy, cancellationToken);
        var findings = new List<Finding>();
        long[] whole = [0, content.Length, content.Length, 0];
        Outcome outcome;
        try
        {
            outcome = await DocumentTimeStamp(context, token, whole, proof ?? context.Now, findings);
        }
#pragma warning disable CA1031 // as for a signature: hostile bytes make BouncyCastle throw many kinds of exception
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
#pragma warning restore CA1031
        {
            findings.Add(new(FindingCode.TimestampInvalid));
            outcome = new Outcome(null, null, false, ChainVerdict.Indeterminate, null, null);
        }
        SignatureConclusion conclusion = Conclude(outcome);
        return new SignatureReport(name, conclusion, outcome.Signer, "ETSI.RFC3161", outcome.TimeStamp, whole, true, findings)
        {
            Kind = "timestamp",
            TimeStamp = outcome.TimeStamp,
            TimeStampAuthority = outcome.Authority,
        };
    }

    /// <summary>A detached signature's or time-stamp's verdict: broken or revoked is INVALID, a trusted chain VALID, else undecided.</summary>
    private static SignatureConclusion Conclude(Outcome outcome) =>
        !outcome.Intact || outcome.Chain == ChainVerdict.Revoked ? SignatureConclusion.Invalid
        : outcome.Chain == ChainVerdict.Trusted ? SignatureConclusion.Valid : SignatureConclusion.Indeterminate;

    internal static DateTimeOffset? SigningTime(byte[] cms)
    {
        SignerInformation? info = new CmsSignedData(cms).GetSignerInfos().GetSigners().FirstOrDefault();
        return info?.SignedAttributes?[Org.BouncyCastle.Asn1.Cms.CmsAttributes.SigningTime] is { } attribute
            ? new DateTimeOffset(Org.BouncyCastle.Asn1.Cms.Time.GetInstance(attribute.AttrValues[0]).ToDateTime().ToUniversalTime(), TimeSpan.Zero)
            : null;
    }

    /// <summary>Where the signature's revision ends (its second byte range's end); 0 when the range is unreadable.</summary>
    private static long RevisionEnd(PdfDictionary signature) =>
        signature["ByteRange"] is PdfArray { Items.Count: 4 } range && range.Items[2] is PdfNumber start && range.Items[3] is PdfNumber length
            ? (long)start.Value + (long)length.Value : 0;

    private sealed record Context(ReadOnlyMemory<byte> File, PdfDocument? Document, string? Password, IReadOnlyCollection<X509Certificate2> Anchors, RevocationEvidence Evidence,
        DateTimeOffset Now, DocMdpPermissions? Permissions, AlgorithmPolicy Policy, CancellationToken Cancellation);

    /// <summary>Every signed signature field's name and signature dictionary (a document time-stamp's too), in the form's order.</summary>
    internal static IEnumerable<(string Name, PdfDictionary Signature)> SignedFields(PdfDocument document) =>
        document.Resolve(document.Catalog["AcroForm"]) is PdfDictionary form && document.Resolve(form["Fields"]) is PdfArray fields
            ? SignatureFields(document, fields, "", 0, [])
            : [];

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

    /// <param name="proof">The time a later, valid document time-stamp proves the signature existed by; null when none does.</param>
    private static async Task<SignatureReport> VerifyOne(Context context, string name, PdfDictionary signature, DateTimeOffset? proof)
    {
        ReadOnlyMemory<byte> file = context.File;
        var findings = new List<Finding>();
        string? subFilter = signature.NameOf("SubFilter");
        bool isTimeStamp = signature.NameOf("Type") == "DocTimeStamp" || subFilter == "ETSI.RFC3161";
        DateTimeOffset? claimed = ParseDate((signature["M"] as PdfString)?.AsText());
        long[] range = (signature["ByteRange"] as PdfArray)?.Items.Select(i => (long)((i as PdfNumber)?.Value ?? -1)).ToArray() ?? [];
        byte[]? cms = (signature["Contents"] as PdfString)?.Bytes;
        int? certification = DocMdp.Permissions(context.Document!, signature) is { } p ? (int)p : null;
        if (range.Length != 4 || range[0] != 0 || range[1] <= 0 || range[2] <= range[1] || range[3] < 0 || range[2] + range[3] > file.Length || cms is null)
        {
            findings.Add(new(FindingCode.ByteRangeMalformed));
            return new SignatureReport(name, SignatureConclusion.Invalid, null, subFilter, claimed, range, false, findings) { Kind = isTimeStamp ? "timestamp" : "signature" };
        }
        ReadOnlySpan<byte> bytes = file.Span;
        // The hole must be exactly the /Contents hex string: nothing else may escape the signature.
        bool holeIsContents = bytes[(int)range[1]] == '<' && bytes[(int)range[2] - 1] == '>' &&
            bytes[((int)range[1] + 1)..((int)range[2] - 1)].IndexOfAnyExcept(HexDigits) < 0;
        if (!holeIsContents)
        {
            findings.Add(new(FindingCode.ByteRangeGapNotContents));
        }
        long revisionEnd = range[2] + range[3];
        bool whole = revisionEnd == file.Length;
        findings.Add(new(whole ? FindingCode.CoversWholeFile : FindingCode.LaterRevisionsPresent));

        Outcome outcome;
        try
        {
            // /Contents is zero-padded after the DER; only the first encoded value is the signature.
            byte[] der = new System.Formats.Asn1.AsnReader(cms, System.Formats.Asn1.AsnEncodingRules.BER).PeekEncodedValue().ToArray();
            DateTimeOffset existedBy = proof ?? context.Now;
            outcome = isTimeStamp ? await DocumentTimeStamp(context, der, range, existedBy, findings) : await Signature(context, der, range, claimed, existedBy, subFilter == "adbe.pkcs7.sha1", findings);
        }
#pragma warning disable CA1031 // hostile bytes make BouncyCastle throw many kinds of exception (unknown algorithms, bad encodings); each means the same
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
#pragma warning restore CA1031
        {
            findings.Add(new(FindingCode.CmsUnreadable));
            outcome = new Outcome(null, null, false, ChainVerdict.Indeterminate, null, null);
        }

        ChangeClass changes = whole ? ChangeClass.None : Changes(context, revisionEnd, FieldLocks.Of(context.Document!, signature), findings);
        bool changesOk = !findings.Any(f => f.Code is FindingCode.DisallowedChange or FindingCode.SignedRevisionUnreadable);
        SignatureConclusion conclusion = !holeIsContents || !outcome.Intact || outcome.Chain == ChainVerdict.Revoked || !changesOk ? SignatureConclusion.Invalid
            : outcome.Chain == ChainVerdict.Trusted ? SignatureConclusion.Valid : SignatureConclusion.Indeterminate;
        return new SignatureReport(name, conclusion, outcome.Signer, subFilter, claimed, range, whole, findings)
        {
            TimeStamp = outcome.TimeStamp,
            TimeStampAuthority = outcome.Authority,
            Kind = isTimeStamp ? "timestamp" : "signature",
            Certification = certification,
            Changes = changes,
            Reason = (signature["Reason"] as PdfString)?.AsText(),
            Location = (signature["Location"] as PdfString)?.AsText(),
            SignerIssuer = outcome.Certificate?.IssuerDN.ToString(),
            SignerValidFrom = outcome.Certificate is { } c ? new DateTimeOffset(c.NotBefore.ToUniversalTime(), TimeSpan.Zero) : null,
            SignerValidTo = outcome.Certificate is { } d ? new DateTimeOffset(d.NotAfter.ToUniversalTime(), TimeSpan.Zero) : null,
        };
    }

    private sealed record Outcome(string? Signer, DateTimeOffset? TimeStamp, bool Intact, ChainVerdict Chain, X509Certificate? Certificate, string? Authority);

    /// <summary>What later revisions changed, and whether the signature (its field locks, the document's certification) allows it.</summary>
    private static ChangeClass Changes(Context context, long revisionEnd, FieldLocks? locks, List<Finding> findings)
    {
        try
        {
            PdfDocument signed = PdfDocument.Open(context.File[..(int)revisionEnd], context.Password, context.Document!.Budget);
            ChangeReport changes = ChangeAnalysis.Classify(signed, context.Document!, context.Permissions, locks);
            findings.AddRange(changes.Findings);
            return changes.Class;
        }
        catch (PdfFormatException e) when (e is not PdfLimitException)
        {
            findings.Add(new(FindingCode.SignedRevisionUnreadable));
            return ChangeClass.Other;
        }
    }

    /// <param name="sha1Digest">adbe.pkcs7.sha1: the CMS signs, encapsulated, the SHA-1 digest of the byte ranges rather than the ranges themselves.</param>
    private static async Task<Outcome> Signature(Context context, byte[] der, long[] range, DateTimeOffset? claimed, DateTimeOffset existedBy, bool sha1Digest,
        List<Finding> findings)
    {
        var signed = sha1Digest ? new CmsSignedData(der) : new CmsSignedData(new RangeContent(context.File, range), der);
        byte[]? encapsulated = null;
        if (sha1Digest && signed.SignedContent is { } inside)
        {
            using var buffer = new MemoryStream();
            inside.Write(buffer); // bounded: it lies inside /Contents
            encapsulated = buffer.ToArray();
        }
        SignerInformation? info = signed.GetSignerInfos().GetSigners().FirstOrDefault();
        X509Certificate? certificate = info is null ? null : signed.GetCertificates().EnumerateMatches(info.SignerID).FirstOrDefault();
        if (info is null || certificate is null)
        {
            findings.Add(new(FindingCode.SignerCertificateMissing));
            return new Outcome(null, null, false, ChainVerdict.Indeterminate, null, null);
        }
        string signer = certificate.SubjectDN.ToString();
        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(certificate.GetEncoded());
        bool intact = sha1Digest
            ? encapsulated is not null && encapsulated.AsSpan().SequenceEqual(Sha1(context.File, range)) && CmsSigners.Verify(info, leaf, sink => sink.Write(encapsulated), () => info.Verify(certificate))
            : CmsSigners.Verify(info, leaf, sink => new RangeContent(context.File, range).Write(sink), () => info.Verify(certificate));
        findings.Add(new(intact ? FindingCode.SignatureIntact : FindingCode.SignatureOrDigestMismatch));
        (DateTimeOffset? stamped, bool stampOk, string? authority) = await CheckTimeStamp(context, info, signed, existedBy, findings);
        intact &= stampOk;
        DateTimeOffset at = stamped ?? claimed ?? context.Now;
        // The signature's own digest and algorithm: acceptable now, or proven (by its time-stamp) older than their end.
        string? weak = (sha1Digest ? context.Policy.CheckDigest("SHA1", stamped) : null)
            ?? context.Policy.CheckDigest(Signatures.DigestName(info.DigestAlgorithmID.Algorithm.Id), stamped)
            ?? (Signatures.SignatureDigest(info.SignatureAlgorithm.Algorithm.Id) is { } named ? context.Policy.CheckDigest(named, stamped) : null);
        if (weak is not null)
        {
            findings.Add(new(FindingCode.WeakAlgorithm, "signature, " + weak));
        }
        PathResult path = await PathValidator.CheckAsync(new PathCheck(leaf, context.Anchors, at, context.Evidence)
        {
            Extra = Certificates(signed),
            TimeProven = stamped is not null,
            EmbeddedCrls = signed.GetCrls().EnumerateMatches(null).Select(c => c.GetEncoded()),
            Policy = context.Policy,
        }, context.Cancellation);
        findings.AddRange(path.Findings);
        ChainVerdict chain = path.Verdict;
        if (weak is not null && chain == ChainVerdict.Trusted)
        {
            chain = ChainVerdict.Indeterminate;
        }
        if (stamped is null && HasTimeStamp(info) && chain == ChainVerdict.Trusted)
        {
            chain = ChainVerdict.Indeterminate; // a time-stamp is there but its authority is not trusted
        }
        // Without a trusted time the claimed one is the signer's word: a backdated signature by a certificate that has
        // since expired must not read VALID. Its proof of existence is the latest it has (a later document time-stamp,
        // else now); the certificate must still be valid then (ETSI EN 319 102-1, OUT_OF_BOUNDS_NO_POE otherwise).
        if (stamped is null && chain == ChainVerdict.Trusted && leaf.NotAfter.ToUniversalTime() < existedBy)
        {
            findings.Add(new(FindingCode.SignerExpiredUnproven, leaf.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC"));
            chain = ChainVerdict.Indeterminate;
        }
        return new Outcome(signer, stamped, intact, chain, certificate, authority);
    }

    private static IEnumerable<X509Certificate2> Certificates(CmsSignedData signed) =>
        signed.GetCertificates().EnumerateMatches(null).Select(c => X509CertificateLoader.LoadCertificate(c.GetEncoded()));

    /// <summary>
    /// The signature time-stamp (PAdES B-T), if any: its own signature, that it covers this signature value, and
    /// its authority's chain and status at that time. Returns the time when it is trusted; false when its authority was revoked.
    /// </summary>
    private static async Task<(DateTimeOffset? Time, bool Ok, string? Authority)> CheckTimeStamp(Context context, SignerInformation info, CmsSignedData signature,
        DateTimeOffset existedBy, List<Finding> findings)
    {
        if (!HasTimeStamp(info))
        {
            return (null, true, null);
        }
        TimeStampToken token;
        X509Certificate tsa;
        try
        {
            token = SignatureTimeStamps.Of(info)!;
            tsa = ValidToken(token, context, signature.GetCertificates().EnumerateMatches(null));
            if (!token.TimeStampInfo.GetMessageImprintDigest().AsSpan().SequenceEqual(Digest(token, s => s.Write(info.GetSignature()))))
            {
                throw new TspValidationException("the time-stamp is over another signature");
            }
        }
#pragma warning disable CA1031 // as above: any failure to read or check the token makes it unusable
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            // The token is an unsigned attribute: anyone can add or break one without touching the signature. One that
            // cannot be used proves no time (ETSI EN 319 102-1: it is no proof of existence), so the signature is judged
            // without it — INDETERMINATE at best, as a time-stamp was meant to be there — but its own bytes are not broken.
            findings.Add(new(FindingCode.TimestampInvalid, e is TspValidationException ? e.Message : null));
            return (null, true, null);
        }
        DateTimeOffset at = SignatureTimeStamps.GenTime(token);
        findings.Add(TimestampValid(at, tsa));
        ChainVerdict verdict = await TimeStampChain(context, token, tsa, at, existedBy, FindingSource.TimeStampAuthority, findings, Certificates(signature));
        return (verdict == ChainVerdict.Trusted ? at : null, verdict != ChainVerdict.Revoked, tsa.SubjectDN.ToString());
    }

    private static bool HasTimeStamp(SignerInformation info) =>
        info.UnsignedAttributes?[Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.IdAASignatureTimeStampToken] is not null;

    /// <summary>A document time-stamp (ETSI.RFC3161): a token whose imprint is the digest of the byte ranges.</summary>
    private static async Task<Outcome> DocumentTimeStamp(Context context, byte[] der, long[] range, DateTimeOffset existedBy, List<Finding> findings)
    {
        var token = new TimeStampToken(new CmsSignedData(der));
        X509Certificate tsa;
        bool intact;
        try
        {
            tsa = ValidToken(token, context, []);
            intact = token.TimeStampInfo.GetMessageImprintDigest().AsSpan().SequenceEqual(Digest(token, s => new RangeContent(context.File, range).Write(s)));
        }
        catch (TspException)
        {
            findings.Add(new(FindingCode.TimestampInvalid));
            return new Outcome(null, null, false, ChainVerdict.Indeterminate, null, null);
        }
        findings.Add(new(intact ? FindingCode.SignatureIntact : FindingCode.SignatureOrDigestMismatch));
        DateTimeOffset at = SignatureTimeStamps.GenTime(token);
        findings.Add(TimestampValid(at, tsa));
        // A document time-stamp is its own signer: its authority's chain is the signature's chain.
        ChainVerdict verdict = await TimeStampChain(context, token, tsa, at, existedBy, FindingSource.Signer, findings);
        return new Outcome(tsa.SubjectDN.ToString(), at, intact, verdict, tsa, tsa.SubjectDN.ToString());
    }

    /// <summary>
    /// A time-stamp over a weak digest, or signed with one, proves nothing: nothing older vouches for it, so it
    /// is judged as of now.
    /// </summary>
    private static Finding TimestampValid(DateTimeOffset at, X509Certificate tsa) =>
        new(FindingCode.TimestampValid, at.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC, " + tsa.SubjectDN);

    /// <summary>
    /// The time-stamping authority's chain and status at the stamped time, and the token's own algorithms. The token
    /// counts only if it is proven to exist (<paramref name="existedBy"/>: now, or a later document time-stamp's time)
    /// while the authority's certificate was still valid: after that, a key nobody guards any more could have made it.
    /// </summary>
    /// <param name="signatureCertificates">The certificates of the signature the token stamps, where some signers put the authority's chain.</param>
    private static async Task<ChainVerdict> TimeStampChain(Context context, TimeStampToken token, X509Certificate tsa, DateTimeOffset at, DateTimeOffset existedBy,
        FindingSource source, List<Finding> findings, IEnumerable<X509Certificate2>? signatureCertificates = null)
    {
        using X509Certificate2 tsaCertificate = X509CertificateLoader.LoadCertificate(tsa.GetEncoded());
        PathResult path = await PathValidator.CheckAsync(new PathCheck(tsaCertificate, context.Anchors, at, context.Evidence)
        {
            Extra = Certificates(token.ToCmsSignedData()).Concat(signatureCertificates ?? []),
            TimeProven = true,
            Source = source,
            Policy = context.Policy,
        }, context.Cancellation);
        findings.AddRange(path.Findings);
        ChainVerdict verdict = path.Verdict;
        DateTimeOffset expired = new(DateTime.SpecifyKind(tsa.NotAfter.ToUniversalTime(), DateTimeKind.Utc));
        if (existedBy > expired && verdict == ChainVerdict.Trusted)
        {
            findings.Add(new(FindingCode.TimestampExpiredUnproven, expired.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC, " + tsa.SubjectDN, source));
            verdict = ChainVerdict.Indeterminate;
        }
        return WeakToken(context, token, source, findings, verdict);
    }

    private static ChainVerdict WeakToken(Context context, TimeStampToken token, FindingSource source, List<Finding> findings, ChainVerdict verdict)
    {
        string? weak = context.Policy.CheckDigest(Signatures.DigestName(token.TimeStampInfo.MessageImprintAlgOid), null)
            ?? context.Policy.CheckDigest(Signatures.DigestName(token.TimeStampInfo.HashAlgorithm.Algorithm.Id), null);
        if (weak is null)
        {
            return verdict;
        }
        findings.Add(new(FindingCode.WeakAlgorithm, "time-stamp, " + weak, source));
        return verdict == ChainVerdict.Trusted ? ChainVerdict.Indeterminate : verdict;
    }

    /// <summary>
    /// The token checked against its authority's certificate, which is in the token when the request asked for it
    /// (certReq) and otherwise where other signers put it: the signature's own certificates, the DSS, the trust anchors.
    /// </summary>
    private static X509Certificate ValidToken(TimeStampToken token, Context context, IEnumerable<X509Certificate> signatureCertificates)
    {
        X509Certificate tsa = token.GetCertificates().EnumerateMatches(token.SignerID)
            .Concat(signatureCertificates.Where(token.SignerID.Match))
            .Concat(context.Evidence.Certificates.Concat(context.Anchors).Select(c => new X509Certificate(c.RawData)).Where(token.SignerID.Match))
            .FirstOrDefault()
            ?? throw new TspValidationException("the time-stamp's authority certificate is neither in it nor in the signature, the DSS or the trust anchors");
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(tsa.GetEncoded());
        CmsSigners.ValidateTimeStamp(token, certificate);
        return tsa;
    }

#pragma warning disable CA5350 // adbe.pkcs7.sha1 is defined over SHA-1; the validation policy judges it, this only reads it
    private static byte[] Sha1(ReadOnlyMemory<byte> file, long[] range) =>
        SHA1.HashData([.. file.Span[..(int)range[1]], .. file.Span[(int)range[2]..(int)(range[2] + range[3])]]);
#pragma warning restore CA5350

    private static byte[] Digest(TimeStampToken token, Action<Stream> write)
    {
        HashAlgorithmName algorithm = Signatures.Digest(token.TimeStampInfo.MessageImprintAlgOid)
            ?? throw new TspValidationException("unsupported imprint algorithm");
        using var hash = IncrementalHash.CreateHash(algorithm);
        using (var sink = new HashingStream(hash))
        {
            write(sink);
        }
        return hash.GetHashAndReset();
    }

    internal static DateTimeOffset? ParseDate(string? text)
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
