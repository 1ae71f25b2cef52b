using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Texts;

namespace Segel.Pdf.Signing;

/// <summary>What the signature says about itself (ISO 32000-2 §12.8.1) and how much room its CMS gets.</summary>
public sealed record PdfSignatureOptions
{
    public string? Reason { get; init; }

    public string? Location { get; init; }

    public string? ContactInfo { get; init; }

    public DateTimeOffset SigningTime { get; init; } = DateTimeOffset.UtcNow;

    /// <summary><c>ETSI.CAdES.detached</c> (PAdES) by default; <c>adbe.pkcs7.detached</c> for old readers.</summary>
    public string SubFilter { get; init; } = "ETSI.CAdES.detached";

    /// <summary>Where and how the signature shows; null for an invisible signature.</summary>
    public SignatureAppearance? Appearance { get; init; }

    /// <summary>The PAdES level; B-T and up need <see cref="TimeStamps"/>, B-LT and up also <see cref="Revocation"/>.</summary>
    public PadesLevel Level { get; init; } = PadesLevel.BaselineB;

    /// <summary>The TSA for the signature time-stamp (B-T) and the document time-stamp (B-LTA).</summary>
    public ITimeStampClient? TimeStamps { get; init; }

    /// <summary>Where the OCSP responses and CRLs for the DSS (B-LT) come from.</summary>
    public Segel.Pki.Validation.IRevocationSource? Revocation { get; init; }

    /// <summary>The user or owner password of an encrypted PDF; new objects are then encrypted with its key.</summary>
    public string? Password { get; init; }

    /// <summary>Set to make this a certification signature (DocMDP) allowing only these changes after it; null for an approval signature.</summary>
    public DocMdpPermissions? Certification { get; init; }

    /// <summary>Bytes reserved for the DER CMS (a chain of three RSA certificates needs about 6 KiB; time-stamps and revocation data more).</summary>
    public int ContentsCapacity { get; init; } = 24 * 1024;
}

/// <summary>
/// Signs a PDF by incremental update: the original bytes are copied unchanged, then a signature field, its
/// widget, the signature dictionary and updated AcroForm, page and catalog objects are appended, and the CMS over
/// the two byte ranges around /Contents is written into the reserved hole. B-LT and B-LTA add a revision each
/// after that (the DSS, the document time-stamp). The content is hashed by streaming the output, not by copying it.
/// </summary>
public static class PdfSigner
{
    public static async Task SignAsync(ReadOnlyMemory<byte> input, Stream output, SigningIdentity identity, PdfSignatureOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        if (!output.CanSeek || !output.CanRead || !output.CanWrite)
        {
            throw new ArgumentException("The output must be seekable and readable (the byte ranges are hashed from it).", nameof(output));
        }
        if (options.Level >= PadesLevel.BaselineT && options.TimeStamps is null)
        {
            throw new ArgumentException($"PAdES {options.Level} needs a time-stamping authority.", nameof(options));
        }
        if (options.Level >= PadesLevel.BaselineLT && options.Revocation is null)
        {
            throw new ArgumentException($"PAdES {options.Level} needs a source of OCSP responses or CRLs.", nameof(options));
        }
        options.Appearance?.Check();
        PdfDocument document = PdfDocument.Open(input, options.Password);
        if (document.Security is { MaySign: false })
        {
            throw new Security.PdfPasswordException("The PDF's permissions do not allow adding a signature; give the owner password.");
        }
        CheckPermissions(document, options);
        var update = new IncrementalUpdate(document);
        var byteRange = new ByteRangePlaceholder();
        var contents = new ContentsPlaceholder(options.ContentsCapacity);
        PdfDictionary signature = SignatureDictionary(options, byteRange, contents);
        PdfReference signatureRef = update.Add(signature);
        Action<PdfDictionary, IncrementalUpdate>? certify = null;
        if (options.Certification is { } permissions)
        {
            signature["Reference"] = new PdfArray([DocMdpReference(permissions)]);
            certify = (catalog, _) =>
            {
                var perms = new PdfDictionary();
                perms["DocMDP"] = signatureRef;
                catalog["Perms"] = perms;
            };
        }
        SignatureField.Add(document, update, signatureRef, options.Appearance, certify);

        byte[]? cms = null;
        ITimeStampClient? signatureTimeStamps = options.Level >= PadesLevel.BaselineT ? options.TimeStamps : null;
        await SignedRevision.WriteAsync(input, output, update, byteRange, contents,
            async writeContent => cms = await CadesSigner.SignAsync(identity, writeContent, signatureTimeStamps, cancellationToken));
        if (options.Level >= PadesLevel.BaselineLT)
        {
            ValidationData data = await LongTermValidation.CollectAsync(cms!, [identity.Certificate, .. identity.Chain], options.Revocation!, options.SigningTime,
                cancellationToken: cancellationToken);
            LongTermValidation.AddDss(output, data, options.Password);
        }
        if (options.Level >= PadesLevel.BaselineLTA)
        {
            await LongTermValidation.AddDocumentTimeStampAsync(output, options.TimeStamps!, options.Password, cancellationToken: cancellationToken);
        }
    }

    /// <summary>A certification signature must come first; a document certified with P=1 takes no further signature.</summary>
    private static void CheckPermissions(PdfDocument document, PdfSignatureOptions options)
    {
        DocMdpPermissions? existing = DocMdp.Permissions(document);
        if (existing == DocMdpPermissions.NoChanges)
        {
            throw new PdfFormatException("The PDF is certified with no changes allowed (DocMDP P=1); another signature would break its certification.");
        }
        if (options.Certification is not null && (existing is not null || DocMdp.HasSignatures(document)))
        {
            throw new SignatureInputException(Localized.Of("Error.CertificationNotFirst"), nameof(options));
        }
    }

    private static PdfDictionary DocMdpReference(DocMdpPermissions permissions)
    {
        var parameters = new PdfDictionary();
        parameters["Type"] = new PdfName("TransformParams");
        parameters["P"] = new PdfNumber((int)permissions);
        parameters["V"] = new PdfName("1.2");
        var reference = new PdfDictionary();
        reference["Type"] = new PdfName("SigRef");
        reference["TransformMethod"] = new PdfName("DocMDP");
        reference["TransformParams"] = parameters;
        return reference;
    }

    private static PdfDictionary SignatureDictionary(PdfSignatureOptions options, ByteRangePlaceholder byteRange, ContentsPlaceholder contents)
    {
        var signature = new PdfDictionary();
        signature["Type"] = new PdfName("Sig");
        signature["Filter"] = new PdfName("Adobe.PPKLite");
        signature["SubFilter"] = new PdfName(options.SubFilter);
        signature["ByteRange"] = byteRange;
        signature["Contents"] = contents;
        signature["M"] = PdfString.Text(PdfDocument.Date(options.SigningTime));
        if (!string.IsNullOrWhiteSpace(options.Reason))
        {
            signature["Reason"] = PdfString.Text(options.Reason);
        }
        if (!string.IsNullOrWhiteSpace(options.Location))
        {
            signature["Location"] = PdfString.Text(options.Location);
        }
        if (!string.IsNullOrWhiteSpace(options.ContactInfo))
        {
            signature["ContactInfo"] = PdfString.Text(options.ContactInfo);
        }
        return signature;
    }
}
