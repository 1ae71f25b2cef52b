using Segel.Pdf.Model;
using Segel.Pdf.Parsing;

namespace Segel.Pdf.Signing;

/// <summary>Reads a document's certification (ISO 32000-2 §12.8.2.2): the DocMDP signature in /Perms and its P.</summary>
public static class DocMdp
{
    /// <summary>The permissions of the document's certification signature, or null when it is not certified.</summary>
    public static DocMdpPermissions? Permissions(PdfDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Resolve(document.Catalog["Perms"]) is not PdfDictionary perms || document.Resolve(perms["DocMDP"]) is not PdfDictionary signature)
        {
            return null;
        }
        return Permissions(document, signature) ?? DocMdpPermissions.FormFillingAndSigning;
    }

    /// <summary>P of a signature dictionary's DocMDP reference (2 when absent, as the standard says), or null if it has none.</summary>
    public static DocMdpPermissions? Permissions(PdfDocument document, PdfDictionary signature)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(signature);
        if (document.Resolve(signature["Reference"]) is not PdfArray references)
        {
            return null;
        }
        foreach (PdfObject item in references.Items)
        {
            if (document.Resolve(item) is PdfDictionary reference && reference.NameOf("TransformMethod") == "DocMDP")
            {
                double p = (document.Resolve((document.Resolve(reference["TransformParams"]) as PdfDictionary)?["P"]) as PdfNumber)?.Value ?? 2;
                return p switch { 1 => DocMdpPermissions.NoChanges, 3 => DocMdpPermissions.FormFillingSigningAndAnnotations, _ => DocMdpPermissions.FormFillingAndSigning };
            }
        }
        return null;
    }

    public static bool HasSignatures(PdfDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Resolve(document.Catalog["AcroForm"]) is PdfDictionary form && document.Resolve(form["Fields"]) is PdfArray fields &&
            fields.Items.Any(f => document.Resolve(f) is PdfDictionary d && d.NameOf("FT") == "Sig" && d["V"] is not null);
    }
}
