using Segel.Pdf.Signing;

namespace Segel.Core.Signing;

/// <summary>What an application (or the holder in the portal) asks Segel to sign, and with which of the holder's secrets.</summary>
public sealed record PdfSigningRequest
{
    /// <summary>The holder's NIK; or give <see cref="Email"/>.</summary>
    public string? Nik { get; init; }

    public string? Email { get; init; }

    /// <summary>The holder's passphrase; or give <see cref="Code"/>.</summary>
    public string? Passphrase { get; init; }

    /// <summary>A one-time code e-mailed to the holder (<see cref="OneTimeCodes"/>).</summary>
    public string? Code { get; init; }

    public required IReadOnlyList<PdfToSign> Documents { get; init; }

    /// <summary>Where the signature shows; null for an invisible signature.</summary>
    public SignaturePlacement? Placement { get; init; }

    public string? Reason { get; init; }

    public string? Location { get; init; }

    public string? ContactInfo { get; init; }

    /// <summary>B-LT by default: the signature carries what it needs to be checked after the certificate expires.</summary>
    public PadesLevel Level { get; init; } = PadesLevel.BaselineLT;
}

/// <summary>One PDF; <paramref name="Placement"/> overrides the request's for this document.</summary>
public sealed record PdfToSign(ReadOnlyMemory<byte> Content, string? Name = null, SignaturePlacement? Placement = null);

/// <summary>A visible signature: a box on a page, or placed at a marker text; an image, a QR code and the signer's text.</summary>
public sealed record SignaturePlacement
{
    public int Page { get; init; } = 1;

    public double X { get; init; } = 360;

    public double Y { get; init; } = 72;

    public double Width { get; init; } = 200;

    public double Height { get; init; } = 70;

    /// <summary>A text on the page (such as <c>^</c> or <c>[qr_bsre]</c>) at which the box is placed instead of X/Y.</summary>
    public string? Marker { get; init; }

    public byte[]? Image { get; init; }

    /// <summary>The URL in the QR code; when null (and the box is not image-only) Segel's own verification page for this signature.</summary>
    public string? QrUrl { get; init; }

    /// <summary>The text in the box, lines separated by newlines; null for the signer's name, position, date, reason and location.</summary>
    public string? Text { get; init; }

    /// <summary>Only the image: no text and no automatic QR code (what the national API's <c>image=true</c> means).</summary>
    public bool ImageOnly { get; init; }
}

/// <summary>A signed document — a PDF, or an ASiC-E container of files — and where anyone can check it.</summary>
public sealed record SignedDocument(string Id, byte[] Content, string VerificationUrl);

/// <summary>Files of any type the holder signs together as one ASiC-E container, and with which of the holder's secrets.</summary>
public sealed record ContainerSigningRequest
{
    /// <summary>The holder's NIK; or give <see cref="Email"/> (neither: the person signing, for themself).</summary>
    public string? Nik { get; init; }

    public string? Email { get; init; }

    /// <summary>The holder's passphrase; or give <see cref="Code"/>.</summary>
    public string? Passphrase { get; init; }

    /// <summary>A one-time code e-mailed to the holder (<see cref="OneTimeCodes"/>).</summary>
    public string? Code { get; init; }

    /// <summary>The files, each under the name it keeps in the container.</summary>
    public required IReadOnlyList<FileToSign> Files { get; init; }

    /// <summary>
    /// The CAdES baseline level: B-LT by default, so that the signature carries the OCSP responses that let it be checked
    /// after the certificate expires; B-LTA adds the container's archive time-stamp.
    /// </summary>
    public PadesLevel Level { get; init; } = PadesLevel.BaselineLT;

    /// <summary>One file signed by a detached CAdES signature (<c>.p7s</c>) instead of a container; up to B-LT.</summary>
    public bool Detached { get; init; }
}

/// <summary>One file of a container: its name there and its bytes.</summary>
public sealed record FileToSign(string Name, ReadOnlyMemory<byte> Content);
