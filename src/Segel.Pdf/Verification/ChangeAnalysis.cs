using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pki.Validation;

namespace Segel.Pdf.Verification;

/// <summary>
/// What changed in a PDF after a signed revision, object by object, and whether each change is one a signature
/// allows (ISO 32000-2 §12.8.2.2, the PAdES rules for DSS and document time-stamps) or one that changes what a
/// reader sees — the "shadow attack" family (Mainka et al., 2021): replaced page content, a replaced catalog or
/// page tree, changed fonts or images, deleted objects.
/// </summary>
internal static class ChangeAnalysis
{
    private static readonly HashSet<string> CatalogKeysAllowed = ["AcroForm", "DSS", "Extensions"];
    private static readonly HashSet<string> FormKeysAllowed = ["Fields", "SigFlags", "DR", "DA", "NeedAppearances"];
    private static readonly HashSet<string> FieldKeysAllowed = ["V", "AS", "AP", "MK", "Lock", "SV"];

    /// <summary>Findings <see cref="FindingCode.ChangesAfter"/> (the kind) for allowed changes and <see cref="FindingCode.DisallowedChange"/> (what) for the rest.</summary>
    public static IReadOnlyList<Finding> Classify(PdfDocument before, PdfDocument after, DocMdpPermissions? permissions)
    {
        var allowed = new SortedSet<string>(StringComparer.Ordinal);
        var disallowed = new List<Finding>();
        if (!Same(before, before.Trailer["Root"], after, after.Trailer["Root"]) || !Same(before, before.Trailer["Encrypt"], after, after.Trailer["Encrypt"]))
        {
            disallowed.Add(new(FindingCode.DisallowedChange, "catalog-replaced"));
            return disallowed;
        }
        int root = ((PdfReference)before.Trailer["Root"]!).Number;
        var pages = before.EnumeratePages().ToDictionary(p => p.Reference.Number, p => p.Page);
        var contentStreams = new HashSet<int>(pages.Values.SelectMany(p => References(before.Resolve(p["Contents"]) is PdfArray a ? a : p["Contents"])));
        int? formNumber = (before.Catalog["AcroForm"] as PdfReference)?.Number;
        PdfDictionary? beforeForm = before.Resolve(before.Catalog["AcroForm"]) as PdfDictionary;
        int? fieldsNumber = (beforeForm?["Fields"] as PdfReference)?.Number;
        var annotationArrays = new HashSet<int>(pages.Values.Select(p => (p["Annots"] as PdfReference)?.Number ?? -1));

        foreach (int number in after.ObjectNumbers.ToList())
        {
            if (after.SameEntry(before, number))
            {
                continue;
            }
            PdfObject? old = before.GetObject(number);
            PdfObject? now = after.GetObject(number);
            if (old is null || Same(before, old, after, now))
            {
                continue; // new objects matter only where a changed object points at them
            }
            if (now is null)
            {
                disallowed.Add(new(FindingCode.DisallowedChange, $"object-deleted {number}"));
                continue;
            }
            if (old is PdfStream { Dictionary: var d } && d.NameOf("Type") is "XRef" or "ObjStm")
            {
                continue;
            }
            string? problem = number == root ? Dictionary(before, old, after, now, CatalogKeysAllowed, "catalog", allowed, "dss")
                : number == formNumber ? Dictionary(before, old, after, now, FormKeysAllowed, "acroform", allowed, "signature")
                : number == fieldsNumber ? null // judged once below, whether /Fields is direct or indirect
                : pages.ContainsKey(number) ? Page(before, (PdfDictionary)old, after, now, allowed)
                : annotationArrays.Contains(number) ? Annotations(before, old, after, now, allowed)
                : contentStreams.Contains(number) ? $"page-content {number}"
                : Field(before, old, after, now, allowed) ? null
                : $"object-changed {number}{(old is PdfStream ? " (stream)" : "")}";
            if (problem is not null)
            {
                disallowed.Add(new(FindingCode.DisallowedChange, problem));
            }
        }
        if (before.Resolve(before.Catalog["AcroForm"]) is PdfDictionary { } form && after.Resolve(after.Catalog["AcroForm"]) is PdfDictionary afterForm &&
            Grown(before, before.Resolve(form["Fields"]), after, after.Resolve(afterForm["Fields"]), "fields") is { } fieldProblem)
        {
            disallowed.Add(new(FindingCode.DisallowedChange, fieldProblem));
        }
        foreach (string kind in allowed)
        {
            bool permitted = kind switch
            {
                "dss" or "timestamp" => true,
                "signature" or "form-fill" => permissions != DocMdpPermissions.NoChanges,
                _ => permissions is null or DocMdpPermissions.FormFillingSigningAndAnnotations,
            };
            if (permitted)
            {
                disallowed.Insert(0, new(FindingCode.ChangesAfter, kind));
            }
            else
            {
                disallowed.Add(new(FindingCode.DisallowedChange, $"{kind} (DocMDP P={(int)permissions!})"));
            }
        }
        return disallowed;
    }

    private static IEnumerable<int> References(PdfObject? value) => value switch
    {
        PdfReference r => [r.Number],
        PdfArray a => a.Items.OfType<PdfReference>().Select(r => r.Number),
        _ => [],
    };

    /// <summary>A dictionary whose only changed keys are the allowed ones.</summary>
    private static string? Dictionary(PdfDocument before, PdfObject old, PdfDocument after, PdfObject now, HashSet<string> allowedKeys, string what,
        SortedSet<string> allowed, string kind)
    {
        if (old is not PdfDictionary a || now is not PdfDictionary b)
        {
            return what;
        }
        foreach (string key in a.Entries.Select(e => e.Key).Union(b.Entries.Select(e => e.Key)))
        {
            if (Same(before, a[key], after, b[key]))
            {
                continue;
            }
            if (!allowedKeys.Contains(key))
            {
                return $"{what} /{key}";
            }
            if (what == "catalog" && key == "AcroForm" && a[key] is PdfDictionary directBefore)
            {
                if (Dictionary(before, directBefore, after, after.Resolve(b[key]) ?? new PdfNull(), FormKeysAllowed, "acroform", allowed, "signature") is { } inner)
                {
                    return inner;
                }
                continue;
            }
            allowed.Add(key == "DSS" || key == "Extensions" ? "dss" : kind);
        }
        return null;
    }

    /// <summary>An array that only gained items (fields appended by later signatures).</summary>
    private static string? Grown(PdfDocument before, PdfObject? old, PdfDocument after, PdfObject? now, string what)
    {
        var a = (before.Resolve(old) as PdfArray)?.Items ?? [];
        var b = (after.Resolve(now) as PdfArray)?.Items ?? [];
        return a.All(item => b.Any(other => Same(before, item, after, other))) ? null : what + " removed";
    }

    private static string? Page(PdfDocument before, PdfDictionary old, PdfDocument after, PdfObject now, SortedSet<string> allowed)
    {
        if (now is not PdfDictionary page)
        {
            return "page replaced";
        }
        foreach (string key in old.Entries.Select(e => e.Key).Union(page.Entries.Select(e => e.Key)))
        {
            if (Same(before, old[key], after, page[key]))
            {
                continue;
            }
            if (key != "Annots")
            {
                return key == "Contents" ? "page-content" : $"page /{key}";
            }
            if (Annotations(before, old[key], after, page[key], allowed) is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    /// <summary>Annotations added or removed: signature widgets, other form widgets, or plain annotations.</summary>
    private static string? Annotations(PdfDocument before, PdfObject? old, PdfDocument after, PdfObject? now, SortedSet<string> allowed)
    {
        var a = (before.Resolve(old) as PdfArray)?.Items ?? [];
        var b = (after.Resolve(now) as PdfArray)?.Items ?? [];
        foreach (PdfObject added in b.Where(item => !a.Any(other => Same(before, other, after, item))))
        {
            allowed.Add(Kind(after, after.Resolve(added) as PdfDictionary));
        }
        if (a.Any(item => !b.Any(other => Same(before, item, after, other))))
        {
            allowed.Add("annotation");
        }
        return null;
    }

    private static string Kind(PdfDocument document, PdfDictionary? annotation)
    {
        if (annotation is null || annotation.NameOf("Subtype") != "Widget")
        {
            return "annotation";
        }
        PdfDictionary field = annotation["FT"] is null && document.Resolve(annotation["Parent"]) is PdfDictionary parent ? parent : annotation;
        if (field.NameOf("FT") != "Sig")
        {
            return "annotation";
        }
        return (document.Resolve(field["V"]) as PdfDictionary)?.NameOf("Type") == "DocTimeStamp" ? "timestamp" : "signature";
    }

    /// <summary>A form field or widget whose value or appearance changed: form filling, or a signature field being signed.</summary>
    private static bool Field(PdfDocument before, PdfObject old, PdfDocument after, PdfObject now, SortedSet<string> allowed)
    {
        if (old is not PdfDictionary a || now is not PdfDictionary b || (a["FT"] is null && a["Parent"] is null && a.NameOf("Subtype") != "Widget"))
        {
            return false;
        }
        if (a.NameOf("Subtype") is { } subtype && subtype != "Widget")
        {
            return false;
        }
        foreach (string key in a.Entries.Select(e => e.Key).Union(b.Entries.Select(e => e.Key)))
        {
            if (!Same(before, a[key], after, b[key]) && !FieldKeysAllowed.Contains(key))
            {
                return false;
            }
        }
        PdfDictionary field = a["FT"] is null && before.Resolve(a["Parent"]) is PdfDictionary parent ? parent : a;
        allowed.Add(field.NameOf("FT") == "Sig" ? Kind(after, b) : "form-fill");
        return true;
    }

    /// <summary>Structural equality: references by number, streams by dictionary and raw bytes.</summary>
    internal static bool Same(PdfDocument da, PdfObject? a, PdfDocument db, PdfObject? b, int depth = 0)
    {
        if (depth > 64)
        {
            return false;
        }
        return (a, b) switch
        {
            (null, null) => true,
            (PdfNull, PdfNull) => true,
            (PdfBoolean x, PdfBoolean y) => x.Value == y.Value,
            (PdfNumber x, PdfNumber y) => x.Value.Equals(y.Value),
            (PdfName x, PdfName y) => x.Value == y.Value,
            (PdfString x, PdfString y) => x.Bytes.AsSpan().SequenceEqual(y.Bytes),
            (PdfReference x, PdfReference y) => x.Equals(y),
            (PdfArray x, PdfArray y) => x.Count == y.Count && x.Items.Zip(y.Items).All(p => Same(da, p.First, db, p.Second, depth + 1)),
            (PdfDictionary x, PdfDictionary y) => x.Count == y.Count && x.Entries.All(e => Same(da, e.Value, db, y[e.Key], depth + 1)),
            (PdfStream x, PdfStream y) => Same(da, x.Dictionary, db, y.Dictionary, depth + 1) && da.RawData(x).SequenceEqual(db.RawData(y)),
            _ => false,
        };
    }
}
