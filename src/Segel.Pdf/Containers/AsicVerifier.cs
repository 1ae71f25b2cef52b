using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Pki.Validation;

namespace Segel.Pdf.Containers;

/// <summary>
/// What an ASiC-E container holds and what its signatures cover: the container's own findings (its structure, files
/// no signature covers) and one report per signature, whose findings say whether each file it names is intact.
/// </summary>
public sealed record ContainerReport(IReadOnlyList<string> Files, IReadOnlyList<Finding> Findings, IReadOnlyList<ContainerSignature> Signatures)
{
    /// <summary>
    /// The container's verdict: INVALID when it breaks the standard's structure or any signature is invalid, INDETERMINATE
    /// when a file is covered by no signature or a signature cannot be judged, VALID only when every file is signed and
    /// every signature is.
    /// </summary>
    public SignatureConclusion Conclusion =>
        Signatures.Count == 0 || Findings.Any(f => f.Code == FindingCode.ContainerMalformed) || Signatures.Any(s => s.Report.Conclusion == SignatureConclusion.Invalid)
            ? SignatureConclusion.Invalid
            : Findings.Any(f => f.Code == FindingCode.ContainerFileUnsigned) || Signatures.Any(s => s.Report.Conclusion != SignatureConclusion.Valid)
                ? SignatureConclusion.Indeterminate
                : SignatureConclusion.Valid;
}

/// <summary>One signature of a container: the files its manifest names, and its report (its findings include the files' digests).</summary>
public sealed record ContainerSignature(IReadOnlyList<string> SignedFiles, SignatureReport Report);

/// <summary>
/// Verifies ASiC-E containers with CAdES signatures (ETSI EN 319 162-1): the ZIP's structure (<c>mimetype</c> first,
/// stored, of the right type), every manifest's files against their SHA-256 (read once, streamed, and counted against
/// the same decompression budget a PDF gets), and each manifest's CAdES signature as a PDF's signature is checked
/// (value, time-stamp, algorithm policy, path and revocation).
/// </summary>
public static class AsicVerifier
{
    private const int MaxEntries = AsicWriter.MaxFiles + 64;

    public static async Task<ContainerReport> VerifyAsync(Stream container, IReadOnlyCollection<X509Certificate2> trustAnchors, PdfVerificationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(trustAnchors);
        if (!container.CanSeek || !container.CanRead)
        {
            throw new ArgumentException("A container is read from a seekable stream (a ZIP's directory is at its end).", nameof(container));
        }
        options ??= new PdfVerificationOptions();
        var budget = InflateBudget.For(container.Length, options.Limits);
        var findings = new List<Finding>();
        CheckEntryCount(container);
        ZipArchive zip;
        try
        {
            container.Position = 0;
            zip = new ZipArchive(container, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new PdfFormatException("The file is not a ZIP container: " + e.Message, e);
        }
        using (zip)
        {
            CheckMimeType(container, zip, findings);
            string[] files = [.. zip.Entries.Where(e => !e.FullName.EndsWith('/') && e.FullName != AsicE.MimeTypeEntry
                && !e.FullName.StartsWith(AsicE.MetaInf, StringComparison.OrdinalIgnoreCase)).Select(e => e.FullName)];
            // A finding's detail is the name of the part concerned: the same in every language, so a report in Bahasa
            // Indonesia carries no English sentence.
            foreach (string unsafeName in files.Where(f => !AsicE.IsDataObjectName(f))
                .Concat(files.GroupBy(f => f, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)))
            {
                findings.Add(new(FindingCode.ContainerMalformed, unsafeName));
            }
            var digests = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var signatures = new List<ContainerSignature>();
            var covered = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                // The archive time-stamps first, the latest first: one that holds proves that every part it covers — the
                // signatures, and the earlier archive manifests with their tokens — existed at its time.
                var archives = new List<Archive>();
                foreach (ZipArchiveEntry archiveEntry in zip.Entries.Where(IsArchiveManifest).OrderBy(e => e.FullName == AsicE.ArchiveManifestName ? 0 : 1)
                    .ThenByDescending(e => e.FullName, StringComparer.Ordinal))
                {
                    archives.Add(await VerifyArchiveAsync(zip, archiveEntry, trustAnchors, options, budget, digests, archives, cancellationToken));
                }
                foreach (ZipArchiveEntry manifestEntry in zip.Entries.Where(IsManifest).OrderBy(e => e.FullName, StringComparer.Ordinal))
                {
                    signatures.Add(await VerifyManifestAsync(zip, manifestEntry, trustAnchors, options, budget, digests, covered, archives, cancellationToken));
                }
                // Reported oldest first, after the signatures they protect.
                signatures.AddRange(Enumerable.Reverse(archives).Select(a => a.Report));
            }
            catch (InvalidDataException e)
            {
                throw new PdfFormatException("An entry of the container cannot be unpacked: " + e.Message, e);
            }
            if (signatures.Count == 0)
            {
                findings.Add(new(FindingCode.ContainerMalformed, AsicE.MetaInf + "ASiCManifest*.xml"));
            }
            findings.AddRange(files.Where(f => !covered.Contains(f)).Select(f => new Finding(FindingCode.ContainerFileUnsigned, f)));
            return new ContainerReport(files, findings, signatures);
        }
    }

    /// <summary>
    /// Counts the entries from the ZIP's end record before <see cref="ZipArchive"/> reads its whole directory into memory: a
    /// small upload can declare millions of empty entries. A container never needs ZIP64 (0xFFFF entries or more).
    /// </summary>
    internal static void CheckEntryCount(Stream container)
    {
        int tail = (int)Math.Min(container.Length, 22 + ushort.MaxValue);
        byte[] end = new byte[tail];
        container.Position = container.Length - tail;
        container.ReadExactly(end);
        for (int at = tail - 22; at >= 0; at--)
        {
            if (end[at] == 0x50 && end[at + 1] == 0x4b && end[at + 2] == 0x05 && end[at + 3] == 0x06)
            {
                int entries = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(end.AsSpan(at + 10));
                if (entries > MaxEntries)
                {
                    throw new PdfFormatException($"The container declares {entries} entries; at most {MaxEntries} are read.");
                }
                return;
            }
        }
        throw new PdfFormatException("The file is not a ZIP container: it has no end of central directory record.");
    }

    internal static bool IsArchiveManifest(ZipArchiveEntry entry) => IsMetaInfXml(entry, "ASiCArchiveManifest");

    internal static bool IsManifest(ZipArchiveEntry entry) => IsMetaInfXml(entry, "ASiCManifest");

    /// <summary>META-INF/<paramref name="stem"/>*.xml, directly in META-INF.</summary>
    private static bool IsMetaInfXml(ZipArchiveEntry entry, string stem) =>
        entry.FullName.StartsWith(AsicE.MetaInf + stem, StringComparison.Ordinal) && entry.FullName.EndsWith(".xml", StringComparison.Ordinal)
        && entry.FullName.IndexOf('/', AsicE.MetaInf.Length) < 0;

    /// <summary>
    /// ETSI EN 319 162-1 §A.1: <c>mimetype</c>, when present, is the first entry, stored, without an extra field, holding
    /// the container's type — so a reader sniffing the type finds <c>mimetype</c> at byte 30 and the type at byte 38.
    /// Read from the local header itself, which is what such a reader sees.
    /// </summary>
    internal static void CheckMimeType(Stream container, ZipArchive zip, List<Finding> findings)
    {
        if (zip.GetEntry(AsicE.MimeTypeEntry) is null)
        {
            return;
        }
        byte[] expected = Encoding.ASCII.GetBytes(AsicE.MimeTypeEntry + AsicE.MimeType);
        byte[] header = new byte[30 + expected.Length];
        container.Position = 0;
        container.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        ReadOnlySpan<byte> h = header;
        bool ok = AsicE.IsZip(h)
            && System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(h[8..]) == 0 // stored
            && System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(h[26..]) == AsicE.MimeTypeEntry.Length
            && System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(h[28..]) == 0 // no extra field
            && h[30..].SequenceEqual(expected);
        if (!ok)
        {
            findings.Add(new(FindingCode.ContainerMalformed, AsicE.MimeTypeEntry));
        }
    }

    /// <summary>The archive time-stamp's report, and the time it proves for the parts it covers when it holds.</summary>
    private sealed record Archive(ContainerSignature Report, DateTimeOffset? Proof, IReadOnlySet<string> Covers);

    /// <summary>The earliest time a valid archive time-stamp proves for all of <paramref name="parts"/> together; null when none covers them.</summary>
    private static DateTimeOffset? ProofFor(IEnumerable<Archive> archives, params string[] parts) =>
        archives.Where(a => a.Proof is not null && parts.All(a.Covers.Contains)).Select(a => a.Proof).Min();

    /// <summary>
    /// <c>META-INF/ASiCArchiveManifest.xml</c> and its time-stamp (ETSI EN 319 162-1 §4.4.5 item 2 a)): every part it
    /// names — files, manifests, signatures — must be there unchanged, and the token must be over the archive manifest
    /// from a trusted authority. Its authority's status is looked up first in what the signatures carry (B-LT).
    /// </summary>
    private static async Task<Archive> VerifyArchiveAsync(ZipArchive zip, ZipArchiveEntry archiveEntry, IReadOnlyCollection<X509Certificate2> anchors,
        PdfVerificationOptions options, InflateBudget budget, Dictionary<string, byte[]> digests, IReadOnlyList<Archive> later, CancellationToken cancellationToken)
    {
        AsicManifest archive;
        byte[] archiveBytes;
        try
        {
            archiveBytes = await ReadSmallAsync(archiveEntry, AsicManifest.MaxBytes, budget, cancellationToken);
            archive = AsicManifest.Parse(archiveBytes);
        }
        catch (FormatException)
        {
            return new Archive(Unusable(archiveEntry.FullName, [], new Finding(FindingCode.ContainerMalformed, archiveEntry.FullName)), null, new HashSet<string>());
        }
        string[] names = [.. archive.Files.Select(f => f.Name)];
        ZipArchiveEntry? tokenEntry = archive.SignatureMediaType == AsicE.TimeStampMimeType && AsicE.IsPartName(archive.SignatureName)
            && archive.SignatureName.StartsWith(AsicE.MetaInf, StringComparison.Ordinal) ? zip.GetEntry(archive.SignatureName) : null;
        if (tokenEntry is null)
        {
            return new Archive(Unusable(archiveEntry.FullName, names, new Finding(FindingCode.ContainerMalformed, archive.SignatureName)), null, new HashSet<string>());
        }
        var findings = new List<Finding>();
        var evidence = new RevocationEvidence { Online = options.Revocation };
        bool intact = true;
        foreach (DataObjectReference part in archive.Files)
        {
            ZipArchiveEntry? entry = AsicE.IsPartName(part.Name) && part.Name != archive.SignatureName ? zip.GetEntry(part.Name) : null;
            if (await CheckPartAsync(entry, part, digests, budget, findings, cancellationToken) is not { } intactEntry)
            {
                intact = false;
            }
            else if (part.Name.StartsWith(AsicE.MetaInf, StringComparison.Ordinal) && (part.Name.EndsWith(".p7s", StringComparison.Ordinal) || part.Name.EndsWith(".tst", StringComparison.Ordinal)))
            {
                // The signatures' validation data (B-LT), and what an earlier archive token was given when this one was added.
                CadesValidationData.AddTo(evidence, await ReadSmallAsync(intactEntry, AsicManifest.MaxBytes, budget, cancellationToken));
            }
        }
        byte[] token;
        try
        {
            token = await ReadSmallAsync(tokenEntry, AsicManifest.MaxBytes, budget, cancellationToken);
        }
        catch (FormatException)
        {
            return new Archive(Unusable(tokenEntry.FullName, names, new Finding(FindingCode.ContainerMalformed, tokenEntry.FullName)), null, new HashSet<string>());
        }
        CadesValidationData.AddTo(evidence, token);
        // A later archive time-stamp that covers this archive manifest and its token proves this one was made in time.
        DateTimeOffset? proven = ProofFor(later, archiveEntry.FullName, tokenEntry.FullName);
        SignatureReport report = await PdfVerifier.VerifyTimeStampAsync(tokenEntry.FullName, token, archiveBytes, anchors, options, evidence, proven, cancellationToken);
        if (intact)
        {
            findings.Add(new(FindingCode.ContainerFilesIntact, archive.Files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        report = report with
        {
            Findings = [.. findings, .. report.Findings],
            Conclusion = intact ? report.Conclusion : SignatureConclusion.Invalid,
        };
        DateTimeOffset? proof = report.Conclusion == SignatureConclusion.Valid ? report.TimeStamp : null;
        return new Archive(new ContainerSignature(names, report), proof, names.ToHashSet(StringComparer.Ordinal));
    }

    private static async Task<ContainerSignature> VerifyManifestAsync(ZipArchive zip, ZipArchiveEntry manifestEntry, IReadOnlyCollection<X509Certificate2> anchors,
        PdfVerificationOptions options, InflateBudget budget, Dictionary<string, byte[]> digests, HashSet<string> covered, IReadOnlyList<Archive> archives,
        CancellationToken cancellationToken)
    {
        var fileFindings = new List<Finding>();
        AsicManifest manifest;
        byte[] manifestBytes;
        try
        {
            manifestBytes = await ReadSmallAsync(manifestEntry, AsicManifest.MaxBytes, budget, cancellationToken);
            manifest = AsicManifest.Parse(manifestBytes);
        }
        catch (FormatException)
        {
            return Unusable(manifestEntry.FullName, [], new Finding(FindingCode.ContainerMalformed, manifestEntry.FullName));
        }
        ZipArchiveEntry? signatureEntry = manifest.SignatureName.StartsWith(AsicE.MetaInf, StringComparison.Ordinal) ? zip.GetEntry(manifest.SignatureName) : null;
        string[] names = [.. manifest.Files.Select(f => f.Name)];
        if (signatureEntry is null)
        {
            return Unusable(manifestEntry.FullName, names, new Finding(FindingCode.ContainerMalformed, manifest.SignatureName));
        }
        bool filesIntact = true;
        foreach (DataObjectReference file in manifest.Files)
        {
            ZipArchiveEntry? entry = AsicE.IsDataObjectName(file.Name) ? zip.GetEntry(file.Name) : null;
            if (await CheckPartAsync(entry, file, digests, budget, fileFindings, cancellationToken) is null)
            {
                filesIntact = false;
            }
            else
            {
                covered.Add(file.Name);
            }
        }
        if (filesIntact)
        {
            fileFindings.Add(new(FindingCode.ContainerFilesIntact, manifest.Files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        byte[] cms;
        try
        {
            cms = await ReadSmallAsync(signatureEntry, AsicManifest.MaxBytes, budget, cancellationToken);
        }
        catch (FormatException)
        {
            return Unusable(signatureEntry.FullName, names, new Finding(FindingCode.ContainerMalformed, signatureEntry.FullName));
        }
        // An archive time-stamp proves this signature's time only if it covers the signature and its manifest as they are.
        DateTimeOffset? proof = ProofFor(archives, signatureEntry.FullName, manifestEntry.FullName);
        SignatureReport report = await PdfVerifier.VerifyDetachedAsync(signatureEntry.FullName, cms, manifestBytes, anchors, options, proof, cancellationToken);
        report = report with
        {
            Findings = [.. fileFindings, .. report.Findings],
            Conclusion = filesIntact ? report.Conclusion : SignatureConclusion.Invalid,
        };
        return new ContainerSignature(names, report);
    }

    /// <summary>
    /// Whether a part a manifest names is there with the digest it states (each entry hashed once, streamed, within the
    /// budget): the entry when it is, null with a finding when it is missing or changed.
    /// </summary>
    private static async Task<ZipArchiveEntry?> CheckPartAsync(ZipArchiveEntry? entry, DataObjectReference part, Dictionary<string, byte[]> digests, InflateBudget budget,
        List<Finding> findings, CancellationToken cancellationToken)
    {
        if (entry is null)
        {
            findings.Add(new(FindingCode.ContainerFileMissing, part.Name));
            return null;
        }
        if (!digests.TryGetValue(part.Name, out byte[]? digest))
        {
            digest = await HashAsync(entry, budget, cancellationToken);
            digests[part.Name] = digest;
        }
        if (!CryptographicOperations.FixedTimeEquals(digest, part.Sha256))
        {
            findings.Add(new(FindingCode.ContainerFileChanged, part.Name));
            return null;
        }
        return entry;
    }

    private static ContainerSignature Unusable(string name, IReadOnlyList<string> files, Finding finding) =>
        new(files, new SignatureReport(name, SignatureConclusion.Invalid, null, "ETSI.CAdES.detached", null, [], false, [finding]));

    internal static async Task<byte[]> ReadSmallAsync(ZipArchiveEntry entry, int max, InflateBudget budget, CancellationToken cancellationToken)
    {
        if (entry.Length > max)
        {
            throw new FormatException($"{entry.FullName} is larger than {max} bytes");
        }
        using var buffer = new MemoryStream();
        await using Stream stream = entry.Open();
        await CountedCopyAsync(stream, max, budget, (chunk, _) => { buffer.Write(chunk.Span); return ValueTask.CompletedTask; }, cancellationToken);
        return buffer.ToArray();
    }

    internal static async Task<byte[]> HashAsync(ZipArchiveEntry entry, InflateBudget budget, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using Stream stream = entry.Open();
        await CountedCopyAsync(stream, long.MaxValue, budget, (chunk, _) => { hash.AppendData(chunk.Span); return ValueTask.CompletedTask; }, cancellationToken);
        return hash.GetHashAndReset();
    }

    /// <summary>Reads a ZIP entry counting what it inflates to, not what it claims: a bomb is stopped at the budget.</summary>
    internal static async Task CountedCopyAsync(Stream source, long max, InflateBudget budget, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink,
        CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                budget.Spend(read);
                total += read;
                if (total > max)
                {
                    throw new FormatException($"an entry is larger than {max} bytes");
                }
                await sink(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
