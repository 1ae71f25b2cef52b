using System.IO.Compression;
using System.Security.Cryptography;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Pki.Validation;

namespace Segel.Pdf.Containers;

/// <summary>
/// Extends an ASiC-E container to B-LTA, or renews it (ETSI EN 319 162-1 §4.4.5 item 2), as <see cref="PdfExtension"/>
/// does a PDF: each signature no archive time-stamp covers yet gains the validation data it lacks (CAdES B-LT); the
/// latest archive token gains what shows it was valid, and its archive manifest is kept under a numbered name; then a
/// new <c>META-INF/ASiCArchiveManifest.xml</c> names every part — files, manifests, signatures, the earlier archive
/// manifests and their tokens — with its SHA-256, and a new token stamps it. Run before the last token's authority
/// expires, it carries the proof on. No signed byte changes: only unsigned fields and new parts are added.
/// </summary>
public static class AsicExtension
{
    public static async Task<PdfExtensionResult> ExtendAsync(Stream input, Stream output, PdfExtensionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        if (!input.CanSeek || !input.CanRead)
        {
            throw new ArgumentException("A container is read from a seekable stream (a ZIP's directory is at its end).", nameof(input));
        }
        var budget = InflateBudget.For(input.Length, options.Limits);
        AsicVerifier.CheckEntryCount(input);
        input.Position = 0;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(input, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new PdfFormatException("The file is not a ZIP container: " + e.Message, e);
        }
        using (zip)
        {
            var malformed = new List<Finding>();
            AsicVerifier.CheckMimeType(input, zip, malformed);
            string? unsafeName = zip.Entries.Select(e => e.FullName).FirstOrDefault(n => !n.EndsWith('/') && n != AsicE.MimeTypeEntry && !AsicE.IsPartName(n));
            if (malformed.Count > 0 || zip.GetEntry(AsicE.MimeTypeEntry) is null || unsafeName is not null)
            {
                throw new PdfFormatException($"The container does not follow ASiC-E's rules ({unsafeName ?? AsicE.MimeTypeEntry}), so it is not extended.");
            }
            try
            {
                return await ExtendAsync(zip, output, options, budget, cancellationToken);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or CmsException or TspException or ArgumentException)
            {
                throw new PdfFormatException("A part of the container cannot be read, so there is nothing to extend it with: " + e.Message, e);
            }
        }
    }

    private static async Task<PdfExtensionResult> ExtendAsync(ZipArchive zip, Stream output, PdfExtensionOptions options, InflateBudget budget, CancellationToken cancellationToken)
    {
        var signatures = new List<string>();
        foreach (ZipArchiveEntry manifest in zip.Entries.Where(AsicVerifier.IsManifest))
        {
            signatures.Add(AsicManifest.Parse(await AsicVerifier.ReadSmallAsync(manifest, AsicManifest.MaxBytes, budget, cancellationToken)).SignatureName);
        }
        if (signatures.Count == 0)
        {
            throw new PdfFormatException("The container has no signature to extend.");
        }
        // What the latest archive time-stamp covers must stay as it is; the rest may gain validation data.
        AsicManifest? latest = zip.GetEntry(AsicE.ArchiveManifestName) is { } latestEntry
            ? AsicManifest.Parse(await AsicVerifier.ReadSmallAsync(latestEntry, AsicManifest.MaxBytes, budget, cancellationToken))
            : null;
        var archived = new HashSet<string>(latest?.Files.Select(f => f.Name) ?? [], StringComparer.Ordinal);
        var replaced = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var held = new RevocationEvidence();
        var added = new ValidationData();
        foreach (string name in signatures.Distinct(StringComparer.Ordinal))
        {
            ZipArchiveEntry entry = zip.GetEntry(name) ?? throw new PdfFormatException($"The signature {name} a manifest names is not in the container.");
            byte[] cms = await AsicVerifier.ReadSmallAsync(entry, AsicManifest.MaxBytes, budget, cancellationToken);
            CadesValidationData.AddTo(held, cms);
            if (archived.Contains(name))
            {
                continue;
            }
            ValidationData own = await LongTermValidation.CollectAsync(cms, [], options.Revocation, SignedAt(cms, options.Now), CadesValidationData.Read(cms, null), cancellationToken);
            added.AddAll(own);
            replaced[name] = CadesValidationData.With(cms, own);
        }
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        if (latest is not null)
        {
            ZipArchiveEntry tokenEntry = zip.GetEntry(latest.SignatureName) ?? throw new PdfFormatException($"The archive time-stamp {latest.SignatureName} is not in the container.");
            byte[] token = await AsicVerifier.ReadSmallAsync(tokenEntry, AsicManifest.MaxBytes, budget, cancellationToken);
            DateTimeOffset stamped = SignatureTimeStamps.GenTime(new TimeStampToken(new CmsSignedData(token)));
            ValidationData own = await LongTermValidation.CollectAsync(token, held.Certificates, options.Revocation, stamped, held, cancellationToken);
            added.AddAll(own);
            replaced[latest.SignatureName] = CadesValidationData.With(token, own);
            renamed[AsicE.ArchiveManifestName] = NextName(zip, AsicE.MetaInf + "ASiCArchiveManifest", ".xml");
        }
        string tokenName = NextName(zip, AsicE.MetaInf + "timestamp", ".tst");
        await WriteAsync(zip, output, replaced, renamed, tokenName, options, budget, cancellationToken);
        return new PdfExtensionResult(signatures.Count, added.Certificates.Count, added.OcspResponses.Count, added.Crls.Count);
    }

    private static async Task WriteAsync(ZipArchive zip, Stream output, Dictionary<string, byte[]> replaced, Dictionary<string, string> renamed, string tokenName,
        PdfExtensionOptions options, InflateBudget budget, CancellationToken cancellationToken)
    {
        var parts = new List<DataObjectReference>();
        using var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        await AsicWriter.WriteMimeTypeAsync(target, options.Now, cancellationToken);
        foreach (ZipArchiveEntry entry in zip.Entries.Where(e => !e.FullName.EndsWith('/') && e.FullName != AsicE.MimeTypeEntry))
        {
            string name = renamed.GetValueOrDefault(entry.FullName, entry.FullName);
            bool part = name.StartsWith(AsicE.MetaInf, StringComparison.Ordinal);
            ZipArchiveEntry copy = target.CreateEntry(name, part ? CompressionLevel.Optimal : AsicE.IsCompressed(name) ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
            copy.LastWriteTime = entry.LastWriteTime;
            await using Stream to = copy.Open();
            byte[] digest;
            if (replaced.TryGetValue(entry.FullName, out byte[]? content))
            {
                await to.WriteAsync(content, cancellationToken);
                digest = SHA256.HashData(content);
            }
            else
            {
                // Streamed and hashed on the way, counted against the budget: a large file costs a buffer.
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using Stream from = entry.Open();
                await AsicVerifier.CountedCopyAsync(from, long.MaxValue, budget, async (chunk, token) =>
                {
                    hash.AppendData(chunk.Span);
                    await to.WriteAsync(chunk, token);
                }, cancellationToken);
                digest = hash.GetHashAndReset();
            }
            parts.Add(new DataObjectReference(name, AsicE.PartMediaType(name), digest));
        }
        await AsicWriter.WriteArchiveAsync(target, parts, tokenName, options.TimeStamps, options.Now, cancellationToken);
    }

    /// <summary>The time a signature's validation data is looked up for: its time-stamp's, else the time it claims, else now.</summary>
    private static DateTimeOffset SignedAt(byte[] cms, DateTimeOffset now)
    {
        SignerInformation? signer = new CmsSignedData(cms).GetSignerInfos().GetSigners().FirstOrDefault();
        return signer is not null && SignatureTimeStamps.Of(signer) is { } token ? SignatureTimeStamps.GenTime(token) : PdfVerifier.SigningTime(cms) ?? now;
    }

    /// <summary>The first free numbered name (<c>META-INF/timestamp002.tst</c>, <c>META-INF/ASiCArchiveManifest001.xml</c>).</summary>
    private static string NextName(ZipArchive zip, string stem, string extension)
    {
        for (int n = 1; ; n++)
        {
            string name = stem + n.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + extension;
            if (zip.GetEntry(name) is null)
            {
                return name;
            }
        }
    }
}
