using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using Segel.Pdf.Signing;
using Segel.Texts;

namespace Segel.Pdf.Containers;

/// <summary>A file to put in a container: its name there and its content, read once from the start.</summary>
public sealed record ContainerFile(string Name, Stream Content);

/// <summary>
/// Signs any files as one ASiC-E container with a CAdES signature (ETSI EN 319 162-1, EN 319 122-1): the files are
/// streamed into the ZIP and hashed on the way, so a 100 MB file costs a buffer, not its size in memory; the manifest
/// that names them with their SHA-256 is what the CAdES signature signs (B-B with signing-time, B-T with a TSA, B-LT
/// with validation data, B-LTA with an archive time-stamp over the whole container).
/// </summary>
public static class AsicWriter
{
    public const string ManifestName = "META-INF/ASiCManifest001.xml";
    public const string SignatureName = "META-INF/signature001.p7s";

    /// <summary>How many files one container may hold.</summary>
    public const int MaxFiles = 1000;

    /// <summary>B-B, or B-T with a time-stamping authority.</summary>
    public static Task SignAsync(Stream output, IReadOnlyList<ContainerFile> files, SigningIdentity identity, ITimeStampClient? timeStamps,
        DateTimeOffset signingTime, CancellationToken cancellationToken = default) =>
        SignAsync(output, files, identity, CadesOptions.Basic(timeStamps, signingTime), cancellationToken);

    /// <summary>
    /// The container at the level <paramref name="options"/> asks for: B-B to B-LT are the CAdES signature's own; B-LTA
    /// adds <c>META-INF/ASiCArchiveManifest.xml</c>, naming every file, the manifest and the signature with their
    /// SHA-256, and <c>META-INF/timestamp001.tst</c>, a time-stamp over it (ETSI EN 319 162-1 §4.4.5 item 2 a)): proof
    /// that all of it existed then, which a later archive time-stamp can renew.
    /// </summary>
    public static async Task SignAsync(Stream output, IReadOnlyList<ContainerFile> files, SigningIdentity identity, CadesOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        options.Check();
        CheckNames([.. files.Select(f => f.Name)]);
        DateTimeOffset signingTime = options.SigningTime;
        var references = new List<DataObjectReference>(files.Count + 2);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            await WriteMimeTypeAsync(zip, signingTime, cancellationToken);
            foreach (ContainerFile file in files)
            {
                ZipArchiveEntry entry = zip.CreateEntry(file.Name, AsicE.IsCompressed(file.Name) ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
                entry.LastWriteTime = signingTime;
                await using Stream target = entry.Open();
                references.Add(new DataObjectReference(file.Name, AsicE.MediaTypeOf(file.Name), await CopyHashingAsync(file.Content, target, cancellationToken)));
            }
            byte[] manifest = new AsicManifest(SignatureName, references).ToXml();
            byte[] signature = await CadesSigner.SignAsync(identity, sink => sink.Write(manifest), options with
            {
                Level = options.Level == PadesLevel.BaselineLTA ? PadesLevel.BaselineLT : options.Level,
            }, cancellationToken);
            await WriteEntryAsync(zip, ManifestName, manifest, signingTime, cancellationToken);
            await WriteEntryAsync(zip, SignatureName, signature, signingTime, cancellationToken);
            if (options.Level == PadesLevel.BaselineLTA)
            {
                references.Add(new DataObjectReference(ManifestName, AsicE.PartMediaType(ManifestName), SHA256.HashData(manifest)));
                references.Add(new DataObjectReference(SignatureName, AsicE.PartMediaType(SignatureName), SHA256.HashData(signature)));
                await WriteArchiveAsync(zip, references, AsicE.ArchiveTimeStampName, options.TimeStamps!, signingTime, cancellationToken);
            }
        }
    }

    /// <summary>
    /// <c>mimetype</c> first, stored (not compressed): a reader finds the type at byte 38 without unpacking anything
    /// (§A.1). Every container Segel writes, signed or extended, starts with it.
    /// </summary>
    internal static async Task WriteMimeTypeAsync(ZipArchive zip, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ZipArchiveEntry mimetype = zip.CreateEntry(AsicE.MimeTypeEntry, CompressionLevel.NoCompression);
        mimetype.LastWriteTime = at;
        await using Stream target = mimetype.Open();
        await target.WriteAsync(System.Text.Encoding.ASCII.GetBytes(AsicE.MimeType), cancellationToken);
    }

    /// <summary>
    /// <c>META-INF/ASiCArchiveManifest.xml</c> naming <paramref name="parts"/>, and <paramref name="tokenName"/>: a
    /// time-stamp over it (§4.4.5 item 2) — the same step when a container is signed at B-LTA and when it is renewed.
    /// </summary>
    internal static async Task WriteArchiveAsync(ZipArchive zip, IReadOnlyList<DataObjectReference> parts, string tokenName, ITimeStampClient timeStamps,
        DateTimeOffset at, CancellationToken cancellationToken)
    {
        byte[] archive = new AsicManifest(tokenName, parts, AsicE.TimeStampMimeType).ToXml();
        Org.BouncyCastle.Tsp.TimeStampToken token = await TimeStampRequests.StampAsync(timeStamps, SHA256.HashData(archive), cancellationToken);
        await WriteEntryAsync(zip, AsicE.ArchiveManifestName, archive, at, cancellationToken);
        await WriteEntryAsync(zip, tokenName, token.GetEncoded(), at, cancellationToken);
    }

    /// <summary>Refuses a set of names a container cannot hold (count, unsafe names, two the same but for case), before anything is signed.</summary>
    public static void CheckNames(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count is 0 or > MaxFiles)
        {
            throw new SignatureInputException(Localized.Of("Error.ContainerFileCount", MaxFiles), nameof(names));
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in names)
        {
            if (!AsicE.IsDataObjectName(name))
            {
                throw new SignatureInputException(Localized.Of("Error.ContainerFileName", name), nameof(names));
            }
            // Two names that differ only in case are one file on Windows and macOS: the second would overwrite the first.
            if (!seen.Add(name))
            {
                throw new SignatureInputException(Localized.Of("Error.ContainerFileTwice", name), nameof(names));
            }
        }
    }

    private static async Task<byte[]> CopyHashingAsync(Stream source, Stream target, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return hash.GetHashAndReset();
    }

    private static async Task WriteEntryAsync(ZipArchive zip, string name, byte[] content, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ZipArchiveEntry entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = at;
        await using Stream target = entry.Open();
        await target.WriteAsync(content, cancellationToken);
    }
}
