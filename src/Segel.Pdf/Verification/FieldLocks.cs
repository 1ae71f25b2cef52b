using Segel.Pdf.Model;
using Segel.Pdf.Parsing;

namespace Segel.Pdf.Verification;

/// <summary>
/// The form fields a signature locks (ISO 32000-2 §12.8.2.4, FieldMDP): all of them, those named, or all but those
/// named. A locked field's value may not change after the signature, whatever the document's certification allows.
/// </summary>
internal sealed record FieldLocks(string Action, IReadOnlySet<string> Fields)
{
    public bool Locks(string name) => Action switch
    {
        "All" => true,
        "Include" => Fields.Contains(name),
        "Exclude" => !Fields.Contains(name),
        _ => false,
    };

    /// <summary>The locks in a signature dictionary's FieldMDP reference, or null when it has none.</summary>
    public static FieldLocks? Of(PdfDocument document, PdfDictionary signature)
    {
        foreach (PdfObject item in (document.Resolve(signature["Reference"]) as PdfArray)?.Items ?? [])
        {
            if (document.Resolve(item) is PdfDictionary reference && reference.NameOf("TransformMethod") == "FieldMDP" &&
                document.Resolve(reference["TransformParams"]) is PdfDictionary parameters)
            {
                var names = ((document.Resolve(parameters["Fields"]) as PdfArray)?.Items ?? []).Select(document.Resolve).OfType<PdfString>().Select(s => s.AsText());
                return new FieldLocks(parameters.NameOf("Action") ?? "All", names.ToHashSet(StringComparer.Ordinal));
            }
        }
        return null;
    }
}
