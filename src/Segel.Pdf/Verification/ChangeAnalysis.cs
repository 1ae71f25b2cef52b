using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pdf.Text;
using Segel.Pki.Validation;

namespace Segel.Pdf.Verification;

/// <summary>What the revisions after a signature did: the highest class reached, and the findings that say what and whether it is allowed.</summary>
internal sealed record ChangeReport(ChangeClass Class, IReadOnlyList<Finding> Findings);

/// <summary>
/// What changed in a PDF after a signed revision, object by object, judged on what each object is for (see
/// <see cref="RevisionRoles"/>) and on its content rather than its identity: an object rewritten unchanged into an
/// object stream is no change. Changes fall into the classes reference validators use (<see cref="ChangeClass"/>)
/// and are held against the document's certification (DocMDP P=1/2/3) and the signature's field locks
/// (FieldMDP); approval signatures allow form filling and annotations. What changes what a reader sees of the
/// signed content is never allowed — the "shadow attack" family (Mainka et al., 2021): replaced page content or
/// resources, pages added or removed, deleted objects, and annotations laid over (or lifted from) signed text.
/// </summary>
internal sealed class ChangeAnalysis
{
    private static readonly HashSet<string> FormKeysAllowed = ["Fields", "SigFlags", "DR", "DA", "NeedAppearances"];
    private static readonly HashSet<string> FieldKeysAllowed = ["V", "AS", "AP", "MK", "Lock", "SV", "Ff", "Kids", "P"];

    // Text markup is drawn see-through over the text it marks; links and pop-ups draw nothing over the page of their own.
    private static readonly HashSet<string> SeeThrough = ["Highlight", "Underline", "Squiggly", "StrikeOut", "Link", "Popup"];

    private readonly PdfDocument _before;
    private readonly PdfDocument _after;
    private readonly RevisionRoles _roles;
    private readonly FieldLocks? _locks;
    private readonly SortedSet<string> _kinds = new(StringComparer.Ordinal);
    private readonly List<Finding> _problems = [];
    private readonly Dictionary<int, List<(double Left, double Bottom, double Right, double Top)>> _text = [];

    private ChangeAnalysis(PdfDocument before, PdfDocument after, FieldLocks? locks)
    {
        _before = before;
        _after = after;
        _locks = locks;
        _roles = new RevisionRoles(before);
    }

    public static ChangeReport Classify(PdfDocument before, PdfDocument after, DocMdpPermissions? permissions, FieldLocks? locks = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (!PdfEquality.Same(before, before.Trailer["Root"], after, after.Trailer["Root"]) || !PdfEquality.Same(before, before.Trailer["Encrypt"], after, after.Trailer["Encrypt"]))
        {
            return new ChangeReport(ChangeClass.Other, [new(FindingCode.DisallowedChange, "catalog-replaced")]);
        }
        var analysis = new ChangeAnalysis(before, after, locks);
        analysis.Compare();
        return analysis.Judge(permissions);
    }

    private void Compare()
    {
        foreach (int number in _after.ObjectNumbers.ToList())
        {
            if (_after.SameEntry(_before, number))
            {
                continue;
            }
            PdfObject? old = _before.GetObject(number);
            PdfObject? now = _after.GetObject(number);
            if (old is null || PdfEquality.Same(_before, old, _after, now))
            {
                continue; // new objects matter only where a changed object points at them
            }
            if (old is PdfStream { Dictionary: var d } && d.NameOf("Type") is "XRef" or "ObjStm")
            {
                continue;
            }
            if (Changed(number, old, now) is { } problem)
            {
                _problems.Add(new(FindingCode.DisallowedChange, problem));
            }
        }
        if (_roles.FormDictionary is { } form && _after.Resolve(_after.Catalog["AcroForm"]) is PdfDictionary afterForm &&
            Fields(_before.Resolve(form["Fields"]), _after.Resolve(afterForm["Fields"])) is { } fieldProblem)
        {
            _problems.Add(new(FindingCode.DisallowedChange, fieldProblem));
        }
    }

    /// <summary>One changed object: null when the change is of a kind a signature may allow (noted in <see cref="_kinds"/>), else what it is.</summary>
    private string? Changed(int number, PdfObject old, PdfObject? now)
    {
        if (now is null)
        {
            // Other software frees what it replaced: an old XMP stream, an appearance it redrew, DSS entries it rewrote.
            // Anything drawn on a page, or with no role that allows it, may not go.
            return _roles.Rendered.Contains(number) ? $"object-deleted {number}"
                : _roles.Bookkeeping.Contains(number) ? Kind("metadata")
                : _roles.Appearances.TryGetValue(number, out string? drawnBy) ? Kind(drawnBy)
                : _roles.Dss.Contains(number) ? Kind("dss")
                : $"object-deleted {number}";
        }
        if (_roles.Rendered.Contains(number))
        {
            return _roles.ContentStreams.Contains(number) ? $"page-content {number}" : $"page-resource {number}";
        }
        if (number == _roles.Root)
        {
            return Catalog((PdfDictionary)old, now);
        }
        if (number == _roles.Form)
        {
            return Form(old, now);
        }
        if (number == _roles.FieldsArray)
        {
            return null; // judged once, whether /Fields is direct or not
        }
        if (_roles.Pages.ContainsKey(number))
        {
            return Page(number, (PdfDictionary)old, now);
        }
        if (_roles.PageTree.Contains(number))
        {
            return $"page-tree {number}";
        }
        if (_roles.AnnotationArrays.TryGetValue(number, out int owner))
        {
            return Annotations(owner, old, now);
        }
        bool annotation = _roles.Annotations.TryGetValue(number, out var placed);
        if (_roles.FieldNames.ContainsKey(number) || (annotation && placed.Widget))
        {
            return Field(number, old, now);
        }
        if (annotation)
        {
            return Covers(placed.Page, _before, old as PdfDictionary, number) ?? Covers(placed.Page, _after, now as PdfDictionary, number) ?? Kind("annotation");
        }
        if (_roles.Appearances.TryGetValue(number, out string? kind))
        {
            return Kind(kind);
        }
        if (_roles.FormResources.Contains(number))
        {
            return Kind("form-fill");
        }
        if (_roles.Dss.Contains(number) && !Draws(now))
        {
            return Kind("dss");
        }
        return _roles.Bookkeeping.Contains(number) ? Kind("metadata") : $"object-changed {number}{(old is PdfStream ? " (stream)" : "")}";
    }

    private string? Kind(string kind)
    {
        _kinds.Add(kind);
        return null;
    }

    /// <summary>The catalog may gain or change validation data (/DSS, /Extensions), bookkeeping (/Metadata, /Version) and its form.</summary>
    private string? Catalog(PdfDictionary old, PdfObject now)
    {
        if (now is not PdfDictionary catalog)
        {
            return "catalog";
        }
        foreach (string key in ChangedKeys(old, catalog))
        {
            string? problem = key switch
            {
                "DSS" or "Extensions" => Kind("dss"),
                "Metadata" or "Version" => Kind("metadata"),
                "AcroForm" => Form(_before.Resolve(old[key]) ?? PdfNull.Instance, _after.Resolve(catalog[key]) ?? PdfNull.Instance),
                _ => $"catalog /{key}",
            };
            if (problem is not null)
            {
                return problem;
            }
        }
        return null;
    }

    /// <summary>The AcroForm: its fields (judged apart), signature flags, and default appearance resources.</summary>
    private string? Form(PdfObject old, PdfObject now)
    {
        if (old is not PdfDictionary a || now is not PdfDictionary b)
        {
            return "acroform";
        }
        foreach (string key in ChangedKeys(a, b))
        {
            if (!FormKeysAllowed.Contains(key))
            {
                return $"acroform /{key}";
            }
            if (key is "DR" or "DA" or "NeedAppearances")
            {
                Kind("form-fill");
            }
        }
        return null;
    }

    /// <summary>A page may only gain or lose annotations; anything else about it is what a reader sees.</summary>
    private string? Page(int number, PdfDictionary old, PdfObject now)
    {
        if (now is not PdfDictionary page)
        {
            return "page replaced";
        }
        foreach (string key in ChangedKeys(old, page))
        {
            string? problem = key switch
            {
                "Annots" => Annotations(number, old[key], page[key]),
                "Contents" => "page-content",
                _ => $"page /{key}",
            };
            if (problem is not null)
            {
                return problem;
            }
        }
        return null;
    }

    /// <summary>Annotations added to or removed from a page: a signature's widget, another field's, or a comment.</summary>
    private string? Annotations(int page, PdfObject? old, PdfObject? now)
    {
        List<PdfObject> a = (_before.Resolve(old) as PdfArray)?.Items ?? [];
        List<PdfObject> b = (_after.Resolve(now) as PdfArray)?.Items ?? [];
        foreach (PdfObject added in b.Where(item => !a.Any(other => PdfEquality.Same(_before, other, _after, item))))
        {
            var annotation = _after.Resolve(added) as PdfDictionary;
            int number = (added as PdfReference)?.Number ?? -1;
            string? problem = annotation?.NameOf("Subtype") == "Widget" && SignatureKind(_after, annotation) is { } signature
                ? Kind(signature)
                : Covers(page, _after, annotation, number) ?? Kind("annotation");
            if (problem is not null)
            {
                return problem;
            }
        }
        foreach (PdfObject removed in a.Where(item => !b.Any(other => PdfEquality.Same(_before, item, _after, other))))
        {
            var annotation = _before.Resolve(removed) as PdfDictionary;
            int number = (removed as PdfReference)?.Number ?? -1;
            if (annotation?.NameOf("Subtype") == "Widget")
            {
                return $"widget-removed {number}";
            }
            if (Covers(page, _before, annotation, number) is { } problem)
            {
                return problem;
            }
            Kind("annotation");
        }
        return null;
    }

    /// <summary>A field or widget whose value or appearance changed: form filling, or a signature field being signed.</summary>
    private string? Field(int number, PdfObject old, PdfObject now)
    {
        if (old is not PdfDictionary a || now is not PdfDictionary b)
        {
            return $"object-changed {number}";
        }
        foreach (string key in ChangedKeys(a, b))
        {
            if (!FieldKeysAllowed.Contains(key))
            {
                return $"field /{key} ({number})";
            }
            if (key is "V" or "AS" && _locks is { } locks && FieldName(number, a) is { } name && locks.Locks(name) && FieldType(_before, a) != "Sig")
            {
                return $"locked-field {name}";
            }
        }
        return Kind(FieldType(_before, a) == "Sig" ? SignatureKind(_after, b) ?? "signature" : "form-fill");
    }

    /// <summary>Fields may be added to the form, never taken out of it.</summary>
    private string? Fields(PdfObject? old, PdfObject? now)
    {
        List<PdfObject> a = (_before.Resolve(old) as PdfArray)?.Items ?? [];
        List<PdfObject> b = (_after.Resolve(now) as PdfArray)?.Items ?? [];
        if (!a.All(item => b.Any(other => PdfEquality.Same(_before, item, _after, other))))
        {
            return "fields removed";
        }
        foreach (PdfObject added in b.Where(item => !a.Any(other => PdfEquality.Same(_before, other, _after, item))))
        {
            Kind(_after.Resolve(added) is PdfDictionary field && SignatureKind(_after, field) is { } signature ? signature : "form-fill");
        }
        return null;
    }

    /// <summary>
    /// An annotation drawn over the signed text of its page: added, it can hide what was signed; removed, it can reveal
    /// what the signer never saw. Text markup is drawn see-through, and hidden annotations are not drawn. A new signature
    /// field's widget is not measured: visible signatures are placed over a marker in the text by design, and reference
    /// validators allow them as form filling.
    /// </summary>
    private string? Covers(int page, PdfDocument document, PdfDictionary? annotation, int number)
    {
        if (annotation is null || SeeThrough.Contains(annotation.NameOf("Subtype") ?? "") ||
            ((long)((document.Resolve(annotation["F"]) as PdfNumber)?.Value ?? 0) & (2 | 32)) != 0 ||
            document.Resolve(annotation["Rect"]) is not PdfArray { Count: 4 } rect || rect.Items.Any(item => item is not PdfNumber))
        {
            return null;
        }
        double[] r = [.. rect.Items.Cast<PdfNumber>().Select(n => n.Value)];
        (double left, double right, double bottom, double top) = (Math.Min(r[0], r[2]), Math.Max(r[0], r[2]), Math.Min(r[1], r[3]), Math.Max(r[1], r[3]));
        if (!_text.TryGetValue(page, out var boxes) && _roles.Pages.TryGetValue(page, out PdfDictionary? dictionary))
        {
            boxes = [.. TextLocator.GlyphBoxes(_before, dictionary)];
            _text[page] = boxes;
        }
        return boxes?.Any(g => g.Left < right && g.Right > left && g.Bottom < top && g.Top > bottom) == true ? $"annotation-over-content {number}" : null;
    }

    private string? FieldName(int number, PdfDictionary field) =>
        _roles.FieldNames.TryGetValue(number, out string? name) ? name
        : field["Parent"] is PdfReference parent && _roles.FieldNames.TryGetValue(parent.Number, out string? owner) ? owner : null;

    /// <summary>"signature" or "timestamp" for a signature field (or its widget), null for any other.</summary>
    private static string? SignatureKind(PdfDocument document, PdfDictionary fieldOrWidget)
    {
        PdfDictionary field = fieldOrWidget["FT"] is null && document.Resolve(fieldOrWidget["Parent"]) is PdfDictionary parent ? parent : fieldOrWidget;
        if (field.NameOf("FT") != "Sig")
        {
            return null;
        }
        return (document.Resolve(field["V"]) as PdfDictionary)?.NameOf("Type") == "DocTimeStamp" ? "timestamp" : "signature";
    }

    private static string? FieldType(PdfDocument document, PdfDictionary fieldOrWidget) =>
        fieldOrWidget.NameOf("FT") ?? (document.Resolve(fieldOrWidget["Parent"]) as PdfDictionary)?.NameOf("FT");

    /// <summary>Fonts, images and page-like forms draw; certificates, CRLs, OCSP answers and /VRI entries do not.</summary>
    private static bool Draws(PdfObject value)
    {
        PdfDictionary? d = value as PdfDictionary ?? (value as PdfStream)?.Dictionary;
        return d is not null && (d.NameOf("Subtype") is "Form" or "Image" || d.NameOf("Type") is "Font" or "XObject" or "Page" or "Pages" or "Annot");
    }

    private List<string> ChangedKeys(PdfDictionary a, PdfDictionary b) =>
        a.Entries.Select(e => e.Key).Union(b.Entries.Select(e => e.Key)).Where(key => !PdfEquality.Same(_before, a[key], _after, b[key])).ToList();

    /// <summary>Each kind held against what the signature and the certification allow; the class is the highest reached.</summary>
    private ChangeReport Judge(DocMdpPermissions? permissions)
    {
        var findings = new List<Finding>();
        ChangeClass reached = _problems.Count > 0 ? ChangeClass.Other : ChangeClass.None;
        foreach (string kind in _kinds)
        {
            ChangeClass of = kind switch
            {
                "dss" or "timestamp" => ChangeClass.ValidationData,
                "signature" or "form-fill" => ChangeClass.FormFilling,
                "annotation" => ChangeClass.Annotations,
                _ => ChangeClass.None,
            };
            reached = (ChangeClass)Math.Max((int)reached, (int)of);
            bool permitted = of switch
            {
                ChangeClass.FormFilling => permissions != DocMdpPermissions.NoChanges,
                ChangeClass.Annotations => permissions is null or DocMdpPermissions.FormFillingSigningAndAnnotations,
                _ => true,
            };
            findings.Add(permitted ? new(FindingCode.ChangesAfter, kind) : new(FindingCode.DisallowedChange, $"{kind} (DocMDP P={(int)permissions!})"));
        }
        return new ChangeReport(reached, [.. findings.Where(f => f.Code == FindingCode.ChangesAfter), .. _problems, .. findings.Where(f => f.Code != FindingCode.ChangesAfter)]);
    }
}
