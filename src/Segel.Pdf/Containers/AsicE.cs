namespace Segel.Pdf.Containers;

/// <summary>
/// The parts of an ASiC-E container with CAdES signatures (ETSI EN 319 162-1 §4.4): a ZIP whose first entry is
/// <c>mimetype</c>, stored, holding <see cref="MimeType"/>; the signed files at the root or in folders; and in
/// <c>META-INF/</c> one <c>ASiCManifest*.xml</c> per signature, naming the files and their digests, signed by the
/// detached CAdES signature it references (<c>signature*.p7s</c>).
/// </summary>
public static class AsicE
{
    public const string MimeType = "application/vnd.etsi.asic-e+zip";
    public const string MimeTypeEntry = "mimetype";
    public const string MetaInf = "META-INF/";
    public const string ManifestNamespace = "http://uri.etsi.org/02918/v1.2.1#";
    public const string DigitalSignatureNamespace = "http://www.w3.org/2000/09/xmldsig#";
    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public const string SignatureMimeType = "application/x-pkcs7-signature";
    public const string TimeStampMimeType = "application/vnd.etsi.timestamp-token";

    /// <summary>
    /// The archive manifest and its time-stamp token (§4.4.5 item 2 a), Annex A.5): ASiC-E's long-term form with CAdES,
    /// what the reference validators (EU DSS) write and read.
    /// </summary>
    public const string ArchiveManifestName = "META-INF/ASiCArchiveManifest.xml";
    public const string ArchiveTimeStampName = "META-INF/timestamp001.tst";

    /// <summary>How long a file's name inside a container may be, in characters.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Whether <paramref name="file"/> starts as a ZIP does (a local file header), as an ASiC-E container must; a PDF starts with %PDF.</summary>
    public static bool IsZip(ReadOnlySpan<byte> file) => file.StartsWith("PK\u0003\u0004"u8);

    /// <summary>The media type a reader expects for a signed file, from its extension (ASiCManifest's MimeType).</summary>
    public static string MediaTypeOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".pdf" => "application/pdf",
            ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ".odt" => "application/vnd.oasis.opendocument.text",
            ".ods" => "application/vnd.oasis.opendocument.spreadsheet",
            ".xls" => "application/vnd.ms-excel",
            ".doc" => "application/msword",
            ".txt" => "text/plain",
            ".csv" => "text/csv",
            ".xml" => "application/xml",
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".tif" or ".tiff" => "image/tiff",
            ".zip" => "application/zip",
            _ => "application/octet-stream",
        };
    }

    /// <summary>
    /// Whether a file is compressed already (office files are ZIPs, images and PDFs are deflated): deflating it again
    /// costs most of the time of signing a large one and saves nothing, so it is stored.
    /// </summary>
    public static bool IsCompressed(string name) =>
        Path.GetExtension(name ?? "").ToLowerInvariant() is ".xlsx" or ".docx" or ".pptx" or ".odt" or ".ods" or ".odp" or ".zip" or ".jpg" or ".jpeg"
            or ".png" or ".pdf" or ".gz" or ".7z" or ".mp4" or ".asice" or ".p7m";

    /// <summary>
    /// Whether <paramref name="name"/> may name a signed file: relative, forward slashes, no empty or dot segments, no colon
    /// (a Windows drive or alternate stream when unpacked there), not
    /// the container's own parts (<c>mimetype</c>, <c>META-INF/</c>), no control characters.
    /// </summary>
    public static bool IsDataObjectName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength
        && !name.StartsWith('/') && !name.Contains('\\', StringComparison.Ordinal) && !name.Contains(':', StringComparison.Ordinal) && !name.Any(char.IsControl)
        && name.Split('/').All(part => part.Length > 0 && part is not ("." or ".."))
        && name != MimeTypeEntry && !name.StartsWith(MetaInf, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether an archive manifest may name <paramref name="name"/>: a signed file, or one of the container's own parts
    /// in META-INF (the same rules: relative, no '..', no backslashes or colons).
    /// </summary>
    public static bool IsPartName(string name) =>
        IsDataObjectName(name)
        || (name is not null && name.StartsWith(MetaInf, StringComparison.Ordinal) && name.Length <= MaxNameLength && IsDataObjectName("x/" + name[MetaInf.Length..]));

    /// <summary>The media type an archive manifest gives a part: a signed file's own, or that of a signature, a token or a manifest.</summary>
    public static string PartMediaType(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return !name.StartsWith(MetaInf, StringComparison.Ordinal) ? MediaTypeOf(name)
            : name.EndsWith(".p7s", StringComparison.Ordinal) ? SignatureMimeType
            : name.EndsWith(".tst", StringComparison.Ordinal) ? TimeStampMimeType
            : "text/xml";
    }
}
