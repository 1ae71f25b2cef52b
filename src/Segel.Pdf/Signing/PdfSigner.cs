using Segel.Pdf.Model;
using Segel.Pdf.Parsing;

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

    /// <summary>A TSA for the signature time-stamp (PAdES B-T); without one the signature is B-B.</summary>
    public ITimeStampClient? TimeStamps { get; init; }

    /// <summary>Bytes reserved for the DER CMS (a chain of three RSA certificates needs about 6 KiB; time-stamps and revocation data more).</summary>
    public int ContentsCapacity { get; init; } = 24 * 1024;
}

/// <summary>
/// Signs a PDF with an invisible approval signature by incremental update: the original bytes are copied
/// unchanged, then a signature field, its widget on the first page, the signature dictionary and updated
/// AcroForm, page and catalog objects are appended, and the CMS over the two byte ranges around /Contents is
/// written into the reserved hole. The content is hashed by streaming the output, not by copying it.
/// </summary>
public static class PdfSigner
{
    public static void Sign(ReadOnlyMemory<byte> input, Stream output, SigningIdentity identity, PdfSignatureOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        if (!output.CanSeek || !output.CanRead || !output.CanWrite)
        {
            throw new ArgumentException("The output must be seekable and readable (the byte ranges are hashed from it).", nameof(output));
        }
        PdfDocument document = PdfDocument.Open(input);
        if (document.IsEncrypted)
        {
            throw new PdfFormatException("The PDF is encrypted; Segel cannot sign encrypted PDFs yet.");
        }
        var update = new IncrementalUpdate(document);
        var byteRange = new ByteRangePlaceholder();
        var contents = new ContentsPlaceholder(options.ContentsCapacity);
        PdfReference signatureRef = update.Add(SignatureDictionary(options, byteRange, contents));
        AddField(document, update, signatureRef, options.Appearance);

        output.SetLength(0);
        output.Write(input.Span);
        if (input.Length > 0 && input.Span[^1] is not ((byte)'\n' or (byte)'\r'))
        {
            output.WriteByte((byte)'\n');
        }
        long baseOffset = output.Position;
        update.WriteTo(output, baseOffset);
        long total = output.Length;

        // The placeholders recorded where in the output they were written.
        long contentsStart = contents.Offset;
        long contentsEnd = contentsStart + contents.Length;
        output.Position = byteRange.Offset;
        output.Write(ByteRangePlaceholder.Render(contentsStart, contentsEnd, total));

        byte[] cms = CadesSigner.Sign(identity, digest => CopyRanges(output, digest, [(0, contentsStart), (contentsEnd, total - contentsEnd)]), options.TimeStamps);
        if (cms.Length > contents.Capacity)
        {
            throw new InvalidOperationException($"The signature ({cms.Length} bytes) does not fit the {contents.Capacity} bytes reserved for it.");
        }
        output.Position = contentsStart + 1;
        output.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexString(cms)));
        output.Position = total;
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

    /// <summary>Adds a signature field and its widget (invisible on the first page, or visible where asked), updating AcroForm, page and catalog as new versions.</summary>
    private static void AddField(PdfDocument document, IncrementalUpdate update, PdfReference signatureRef, SignatureAppearance? appearance)
    {
        var rootRef = (PdfReference)document.Trailer["Root"]!;
        PdfDictionary catalog = document.Catalog.Copy();
        int pageNumber = appearance?.Page ?? 1;
        (PdfReference Reference, PdfDictionary Page)? found = pageNumber < 1 ? null : document.EnumeratePages().Skip(pageNumber - 1).Select(p => ((PdfReference, PdfDictionary)?)p).FirstOrDefault();
        if (found is null)
        {
            int count = document.EnumeratePages().Count();
            throw count == 0
                ? new PdfFormatException("The PDF has no pages to put a signature on.")
                : new ArgumentException($"The PDF has {count} page(s); there is no page {pageNumber}.", nameof(appearance));
        }
        if (appearance is { Width: <= 0 or > 2000 } or { Height: <= 0 or > 2000 })
        {
            throw new ArgumentException("The signature box must be between 0 and 2000 points wide and high.", nameof(appearance));
        }
        (PdfReference pageRef, PdfDictionary page) = found.Value;

        // AcroForm: an indirect one gets a new version; a direct one changes with the catalog.
        PdfDictionary form;
        PdfReference? formRef = catalog["AcroForm"] as PdfReference;
        form = (document.Resolve(catalog["AcroForm"]) as PdfDictionary)?.Copy() ?? new PdfDictionary();
        var fields = new PdfArray((document.Resolve(form["Fields"]) as PdfArray)?.Items);
        int signatures = fields.Items.Count(f => document.Resolve(f) is PdfDictionary d && d.NameOf("FT") == "Sig");

        var widget = new PdfDictionary();
        widget["Type"] = new PdfName("Annot");
        widget["Subtype"] = new PdfName("Widget");
        widget["FT"] = new PdfName("Sig");
        widget["T"] = PdfString.Text($"Signature{signatures + 1}");
        widget["V"] = signatureRef;
        widget["P"] = pageRef;
        widget["F"] = new PdfNumber(132); // Print | Locked
        if (appearance is null)
        {
            widget["Rect"] = new PdfArray([new PdfNumber(0), new PdfNumber(0), new PdfNumber(0), new PdfNumber(0)]);
        }
        else
        {
            widget["Rect"] = new PdfArray([new PdfNumber(appearance.X), new PdfNumber(appearance.Y),
                new PdfNumber(appearance.X + appearance.Width), new PdfNumber(appearance.Y + appearance.Height)]);
            PdfReference font = update.Add(VisibleSignature.Font());
            (PdfReference, int, int)? image = null;
            if (appearance.Image is { } picture)
            {
                (PdfNewStream stream, PdfNewStream? mask, int width, int height) = SignatureImage.Read(picture);
                if (mask is not null)
                {
                    stream.Dictionary["SMask"] = update.Add(mask);
                }
                image = (update.Add(stream), width, height);
            }
            var normal = new PdfDictionary();
            normal["N"] = update.Add(VisibleSignature.Appearance(appearance, font, image));
            widget["AP"] = normal;
        }
        PdfReference widgetRef = update.Add(widget);

        fields.Items.Add(widgetRef);
        if (form["Fields"] is PdfReference fieldsRef)
        {
            update.Replace(fieldsRef, fields);
        }
        else
        {
            form["Fields"] = fields;
        }
        form["SigFlags"] = new PdfNumber(3); // SignaturesExist | AppendOnly
        if (formRef is not null)
        {
            update.Replace(formRef, form);
        }
        else
        {
            catalog["AcroForm"] = update.Add(form);
            update.Replace(rootRef, catalog);
        }

        var annotations = new PdfArray((document.Resolve(page["Annots"]) as PdfArray)?.Items);
        annotations.Items.Add(widgetRef);
        if (page["Annots"] is PdfReference annotationsRef)
        {
            update.Replace(annotationsRef, annotations);
        }
        else
        {
            PdfDictionary newPage = page.Copy();
            newPage["Annots"] = annotations;
            update.Replace(pageRef, newPage);
        }
    }

    internal static void CopyRanges(Stream source, Stream destination, IEnumerable<(long Start, long Length)> ranges)
    {
        byte[] buffer = new byte[81920];
        foreach ((long start, long length) in ranges)
        {
            source.Position = start;
            long left = length;
            while (left > 0)
            {
                int read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0)
                {
                    throw new EndOfStreamException("The output ended before the signed byte range.");
                }
                destination.Write(buffer, 0, read);
                left -= read;
            }
        }
    }
}
