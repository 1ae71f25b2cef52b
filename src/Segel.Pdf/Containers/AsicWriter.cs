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
/// that names them with their SHA-256 is what the CAdES signature signs (B-B with signing-time, B-T with a TSA).
/// </summary>
public static class AsicWriter
{
    public const string ManifestName = "META-INF/ASiCManifest001.xml";
    public const string SignatureName = "META-INF/signature001.p7s";

    /// <summary>How many files one container may hold.</summary>
    public const int MaxFiles = 1000;

    public static async Task SignAsync(Stream output, IReadOnlyList<ContainerFile> files, SigningIdentity identity, ITimeStampClient? timeStamps,
        DateTimeOffset signingTime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(identity);
        CheckNames([.. files.Select(f => f.Name)]);
        var references = new List<DataObjectReference>(files.Count);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            // First, stored (not compressed): a reader finds the type at byte 38 without unpacking anything (§A.1).
            ZipArchiveEntry mimetype = zip.CreateEntry(AsicE.MimeTypeEntry, CompressionLevel.NoCompression);
            mimetype.LastWriteTime = signingTime;
            await using (Stream target = mimetype.Open())
            {
                await target.WriteAsync(System.Text.Encoding.ASCII.GetBytes(AsicE.MimeType), cancellationToken);
            }
            foreach (ContainerFile file in files)
            {
                ZipArchiveEntry entry = zip.CreateEntry(file.Name, AsicE.IsCompressed(file.Name) ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
                entry.LastWriteTime = signingTime;
                await using Stream target = entry.Open();
                references.Add(new DataObjectReference(file.Name, AsicE.MediaTypeOf(file.Name), await CopyHashingAsync(file.Content, target, cancellationToken)));
            }
            byte[] manifest = new AsicManifest(SignatureName, references).ToXml();
            byte[] signature = await CadesSigner.SignAsync(identity, sink => sink.Write(manifest), timeStamps, signingTime, cancellationToken);
            await WriteEntryAsync(zip, ManifestName, manifest, signingTime, cancellationToken);
            await WriteEntryAsync(zip, SignatureName, signature, signingTime, cancellationToken);
        }
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
