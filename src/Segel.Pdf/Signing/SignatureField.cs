using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Texts;

namespace Segel.Pdf.Signing;

/// <summary>
/// Adds a signature field with its widget (invisible on the first page, or visible where asked), updating the
/// AcroForm, page and catalog as new versions of themselves. Signatures and document time-stamps both use it.
/// </summary>
internal static class SignatureField
{
    /// <param name="changeCatalog">Further changes to the catalog (a certification signature's /Perms); null for none.</param>
    public static void Add(PdfDocument document, IncrementalUpdate update, PdfReference signatureRef, SignatureAppearance? appearance,
        Action<PdfDictionary, IncrementalUpdate>? changeCatalog)
    {
        var rootRef = (PdfReference)document.Trailer["Root"]!;
        PdfDictionary catalog = document.Catalog.Copy();
        bool catalogChanged = false;
        if (changeCatalog is not null)
        {
            changeCatalog(catalog, update);
            catalogChanged = true;
        }
        if (appearance?.Marker is { Length: > 0 } marker)
        {
            // Centred on the marker, so the appearance covers it as e-government templates expect.
            Text.TextPosition at = Text.TextLocator.Find(document, marker) is [var first, ..] ? first
                : throw new ArgumentException($"The text marker '{marker}' is not on any page of the PDF.", nameof(appearance));
            appearance = appearance with
            {
                Page = at.Page,
                X = Math.Max(0, Math.Round(at.X + (at.Width / 2) - (appearance.Width / 2), 2)),
                Y = Math.Max(0, Math.Round(at.Y + (at.FontSize / 3) - (appearance.Height / 2), 2)),
            };
        }
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
            throw new SignatureInputException(Localized.Of("Error.SignatureBoxOutOfRange"), nameof(appearance));
        }
        (PdfReference pageRef, PdfDictionary page) = found.Value;

        // AcroForm: an indirect one gets a new version; a direct one changes with the catalog.
        PdfReference? formRef = catalog["AcroForm"] as PdfReference;
        PdfDictionary form = (document.Resolve(catalog["AcroForm"]) as PdfDictionary)?.Copy() ?? new PdfDictionary();
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
            catalogChanged = true;
        }
        if (catalogChanged)
        {
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
}
