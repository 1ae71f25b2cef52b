using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Pki;
using Segel.Pki.Validation;

namespace Segel.Pdf.Signing;

/// <summary>
/// PAdES B-LT and B-LTA (ETSI EN 319 142-1 §5.4–5.5): after the signature's own revision, a revision adding a
/// Document Security Store with every certificate of the chains and an OCSP response or CRL for each, so that
/// the signature can be validated when the responders are long gone; then, for B-LTA, a revision holding a
/// document time-stamp over all of it.
/// </summary>
public static class LongTermValidation
{
    /// <summary>
    /// The validation data for a signature's CMS: its signer and chain, and the TSA of its time-stamp. A certificate
    /// whose status at <paramref name="at"/> the <paramref name="known"/> evidence (a DSS already in the file) settles
    /// is not looked up again.
    /// </summary>
    public static async Task<ValidationData> CollectAsync(byte[] cms, IEnumerable<X509Certificate2> extraCertificates, IRevocationSource source, DateTimeOffset at,
        RevocationEvidence? known = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        List<X509Certificate2> pool = [.. CmsCertificates.All(cms), .. extraCertificates, .. known?.Certificates ?? []];
        var data = new ValidationData();
        var done = new HashSet<string>(StringComparer.Ordinal);
        // The pool grows with OCSP responders' certificates, whose own status is then looked up too (unless they carry id-pkix-ocsp-nocheck).
        for (int i = 0; i < pool.Count; i++)
        {
            X509Certificate2 certificate = pool[i];
            if (!done.Add(certificate.Thumbprint))
            {
                continue;
            }
            data.AddCertificate(certificate.RawData);
            if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) || certificate.Extensions["1.3.6.1.5.5.7.48.1.5"] is not null)
            {
                continue; // a trust anchor, or an OCSP responder needing no check
            }
            X509Certificate2 issuer = pool.FirstOrDefault(c => IsIssuer(c, certificate))
                ?? throw new ValidationDataUnavailableException($"The issuer of {certificate.Subject} is not among the certificates at hand; B-LT needs the whole chain.");
            if (known is not null && RevocationChecker.Check(certificate, issuer, known.Ocsps, known.Crls, at) is not null)
            {
                continue;
            }
            if (await source.FetchOcspAsync(certificate, issuer, cancellationToken) is { } ocsp && RevocationChecker.Check(certificate, issuer, [ocsp], [], at) is not null)
            {
                data.AddOcsp(ocsp);
                pool.AddRange(RevocationChecker.ResponderCertificates(ocsp).Select(X509CertificateLoader.LoadCertificate));
            }
            else if (await source.FetchCrlAsync(certificate, issuer, cancellationToken) is { } crl && RevocationChecker.Check(certificate, issuer, [], [crl], at) is not null)
            {
                data.AddCrl(crl);
            }
            else
            {
                throw new ValidationDataUnavailableException($"No usable OCSP response or CRL for {certificate.Subject}; B-LT needs the revocation status of every certificate.");
            }
        }
        return data;
    }

    internal static bool IsIssuer(X509Certificate2 candidate, X509Certificate2 subject) =>
        candidate.SubjectName.RawData.AsSpan().SequenceEqual(subject.IssuerName.RawData) && Signatures.IsSignedBy(subject, candidate);

    /// <summary>
    /// Appends a revision whose catalog has a DSS with <paramref name="data"/> added to whatever DSS the file had; with
    /// <paramref name="vri"/>, a VRI entry per signature (keyed by the SHA-1 of its /Contents) naming the data that is its.
    /// </summary>
    public static void AddDss(Stream output, ValidationData data, string? password = null, IReadOnlyList<(byte[] Contents, ValidationData Data)>? vri = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(data);
        byte[] current = SignedRevision.ReadBack(output);
        PdfDocument document = PdfDocument.Open(current, password);
        var update = new IncrementalUpdate(document);
        PdfDictionary catalog = document.Catalog.Copy();
        PdfDictionary dss = (document.Resolve(catalog["DSS"]) as PdfDictionary)?.Copy() ?? new PdfDictionary();
        var written = new Dictionary<string, PdfReference>(StringComparer.Ordinal);
        dss["Certs"] = Merge(document, update, dss["Certs"], data.Certificates, written);
        dss["OCSPs"] = Merge(document, update, dss["OCSPs"], data.OcspResponses, written);
        dss["CRLs"] = Merge(document, update, dss["CRLs"], data.Crls, written);
        if (vri is { Count: > 0 })
        {
            PdfDictionary entries = (document.Resolve(dss["VRI"]) as PdfDictionary)?.Copy() ?? new PdfDictionary();
            foreach ((byte[] contents, ValidationData own) in vri)
            {
                var entry = new PdfDictionary();
                AddReferences(entry, "Cert", own.Certificates, written);
                AddReferences(entry, "OCSP", own.OcspResponses, written);
                AddReferences(entry, "CRL", own.Crls, written);
                if (entry.Entries.Any())
                {
#pragma warning disable CA5350 // ISO 32000-2 §12.8.4.4 keys VRI entries by SHA-1; it names the signature, it protects nothing
                    entries[Convert.ToHexString(SHA1.HashData(contents))] = entry;
#pragma warning restore CA5350
                }
            }
            dss["VRI"] = entries;
        }
        catalog["DSS"] = update.Add(dss);
        update.Replace((PdfReference)document.Trailer["Root"]!, catalog);
        output.Position = output.Length;
        if (current.Length > 0 && current[^1] is not ((byte)'\n' or (byte)'\r'))
        {
            output.WriteByte((byte)'\n');
        }
        update.WriteTo(output, output.Position);
    }

    private static PdfArray Merge(PdfDocument document, IncrementalUpdate update, PdfObject? existing, IReadOnlyList<byte[]> added, Dictionary<string, PdfReference> written)
    {
        var items = new PdfArray((document.Resolve(existing) as PdfArray)?.Items);
        foreach (byte[] value in added)
        {
            PdfReference reference = update.Add(new PdfNewStream(new PdfDictionary(), value));
            written[ValidationData.Key(value)] = reference;
            items.Items.Add(reference);
        }
        return items;
    }

    private static void AddReferences(PdfDictionary entry, string key, IReadOnlyList<byte[]> values, Dictionary<string, PdfReference> written)
    {
        // What an earlier DSS already held is not named again: a VRI entry is a hint, the DSS arrays are the evidence.
        List<PdfObject> references = [.. values.Select(v => written.GetValueOrDefault(ValidationData.Key(v))).OfType<PdfReference>()];
        if (references.Count > 0)
        {
            entry[key] = new PdfArray(references);
        }
    }

    /// <summary>Appends a revision with a document time-stamp (ETSI.RFC3161) over the whole file so far: PAdES B-LTA.</summary>
    public static async Task AddDocumentTimeStampAsync(Stream output, ITimeStampClient timeStamps, string? password = null, int capacity = 16 * 1024,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(timeStamps);
        byte[] current = SignedRevision.ReadBack(output);
        PdfDocument document = PdfDocument.Open(current, password);
        var update = new IncrementalUpdate(document);
        var byteRange = new ByteRangePlaceholder();
        var contents = new ContentsPlaceholder(capacity);
        var stamp = new PdfDictionary();
        stamp["Type"] = new PdfName("DocTimeStamp");
        stamp["Filter"] = new PdfName("Adobe.PPKLite");
        stamp["SubFilter"] = new PdfName("ETSI.RFC3161");
        stamp["ByteRange"] = byteRange;
        stamp["Contents"] = contents;
        SignatureField.Add(document, update, update.Add(stamp), null, null);
        await SignedRevision.WriteAsync(current, output, update, byteRange, contents, async writeContent =>
        {
            byte[] digest;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                using var sink = new HashingStream(hash);
                writeContent(sink);
                digest = hash.GetHashAndReset();
            }
            return (await TimeStampRequests.StampAsync(timeStamps, digest, cancellationToken)).GetEncoded();
        });
    }
}

/// <summary>Certificates and revocation evidence for a DSS, each kept once.</summary>
public sealed class ValidationData
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<byte[]> _certificates = [];
    private readonly List<byte[]> _ocsps = [];
    private readonly List<byte[]> _crls = [];

    public IReadOnlyList<byte[]> Certificates => _certificates;

    public IReadOnlyList<byte[]> OcspResponses => _ocsps;

    public IReadOnlyList<byte[]> Crls => _crls;

    public void AddCertificate(byte[] der) => Add(_certificates, der);

    public void AddOcsp(byte[] der) => Add(_ocsps, der);

    public void AddCrl(byte[] der) => Add(_crls, der);

    /// <summary>Everything in <paramref name="other"/> not held yet.</summary>
    public void AddAll(ValidationData other)
    {
        ArgumentNullException.ThrowIfNull(other);
        other._certificates.ForEach(AddCertificate);
        other._ocsps.ForEach(AddOcsp);
        other._crls.ForEach(AddCrl);
    }

    /// <summary>Marks evidence the file already holds, so that it is not added a second time.</summary>
    public void AlreadyHeld(IEnumerable<byte[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (byte[] der in values)
        {
            _seen.Add(Key(der));
        }
    }

    internal static string Key(byte[] der) => Convert.ToHexString(SHA256.HashData(der));

    private void Add(List<byte[]> list, byte[] der)
    {
        if (_seen.Add(Key(der)))
        {
            list.Add(der);
        }
    }
}
