using Segel.Pdf.Model;
using Segel.Pdf.Parsing;

namespace Segel.Pdf.Verification;

/// <summary>
/// What each object of a signed revision is for, so a later change to it can be judged on its meaning: drawn on a
/// page (content streams and everything the pages' resources reach), a page or page-tree node, an annotation or a
/// form field, an appearance of one, validation data under /DSS, or bookkeeping (XMP metadata, /Info). An object
/// with several roles takes the strictest, so a font shared by the page and a field's appearance counts as drawn.
/// </summary>
internal sealed class RevisionRoles
{
    // Keys that lead back up (to a parent, a page) rather than to what an object holds.
    private static readonly HashSet<string> UpwardKeys = ["Parent", "P", "Popup", "IRT"];

    private readonly PdfDocument _document;

    public RevisionRoles(PdfDocument document)
    {
        _document = document;
        Root = ((PdfReference)document.Trailer["Root"]!).Number;
        PdfDictionary catalog = document.Catalog;
        Form = (catalog["AcroForm"] as PdfReference)?.Number;
        FormDictionary = document.Resolve(catalog["AcroForm"]) as PdfDictionary;
        FieldsArray = (FormDictionary?["Fields"] as PdfReference)?.Number;
        foreach ((PdfReference reference, PdfDictionary page) in document.EnumeratePages())
        {
            Pages[reference.Number] = page;
            foreach (int number in Numbers(document.Resolve(page["Contents"]) is PdfArray parts ? parts : page["Contents"]))
            {
                ContentStreams.Add(number);
            }
            Walk(page["Contents"], Rendered);
            Walk(Inherited(page, "Resources"), Rendered);
            Walk(page["Group"], Rendered);
            if (page["Annots"] is PdfReference annotsArray)
            {
                AnnotationArrays[annotsArray.Number] = reference.Number;
            }
            foreach (PdfReference item in (document.Resolve(page["Annots"]) as PdfArray)?.Items.OfType<PdfReference>() ?? [])
            {
                if (document.GetObject(item.Number) is PdfDictionary annotation)
                {
                    bool widget = annotation.NameOf("Subtype") == "Widget";
                    Annotations[item.Number] = (reference.Number, widget);
                    var appearance = new HashSet<int>();
                    Walk(annotation["AP"], appearance);
                    foreach (int number in appearance)
                    {
                        Appearances.TryAdd(number, widget ? "form-fill" : "annotation");
                    }
                }
            }
        }
        PageTree.UnionWith(PageNodes(catalog["Pages"], 0));
        Walk(catalog["DSS"], Dss);
        Walk(FormDictionary?["DR"], FormResources);
        if (catalog["Metadata"] is PdfReference metadata)
        {
            Bookkeeping.Add(metadata.Number);
        }
        if (document.Trailer["Info"] is PdfReference info)
        {
            Bookkeeping.Add(info.Number);
        }
        if (document.Resolve(FormDictionary?["Fields"]) is PdfArray fields)
        {
            NameFields(fields, "", 0);
        }
    }

    public int Root { get; }

    /// <summary>The AcroForm dictionary's number when it is an object of its own.</summary>
    public int? Form { get; }

    public PdfDictionary? FormDictionary { get; }

    /// <summary>The /Fields array's number when it is an object of its own.</summary>
    public int? FieldsArray { get; }

    public Dictionary<int, PdfDictionary> Pages { get; } = [];

    /// <summary>Intermediate nodes of the page tree (and its root).</summary>
    public HashSet<int> PageTree { get; } = [];

    public HashSet<int> ContentStreams { get; } = [];

    /// <summary>Everything a page draws: its content streams and all its resources reach (fonts, images, forms).</summary>
    public HashSet<int> Rendered { get; } = [];

    /// <summary>Pages' /Annots arrays that are objects of their own, with their page's number.</summary>
    public Dictionary<int, int> AnnotationArrays { get; } = [];

    /// <summary>Annotations on pages: the page's number and whether it is a form field's widget.</summary>
    public Dictionary<int, (int Page, bool Widget)> Annotations { get; } = [];

    /// <summary>Appearance streams (and what they use) of widgets ("form-fill") and other annotations ("annotation").</summary>
    public Dictionary<int, string> Appearances { get; } = [];

    public HashSet<int> Dss { get; } = [];

    /// <summary>The AcroForm's default resources (fonts for field appearances).</summary>
    public HashSet<int> FormResources { get; } = [];

    /// <summary>The XMP metadata stream and the /Info dictionary.</summary>
    public HashSet<int> Bookkeeping { get; } = [];

    /// <summary>Form fields and widgets by number, with their fully qualified names.</summary>
    public Dictionary<int, string> FieldNames { get; } = [];

    public static IEnumerable<int> Numbers(PdfObject? value) => value switch
    {
        PdfReference r => [r.Number],
        PdfArray a => a.Items.OfType<PdfReference>().Select(r => r.Number),
        _ => [],
    };

    /// <summary>Every object <paramref name="start"/> reaches downwards, into <paramref name="into"/>.</summary>
    private void Walk(PdfObject? start, HashSet<int> into)
    {
        var pending = new Stack<PdfObject>();
        if (start is not null)
        {
            pending.Push(start);
        }
        while (pending.Count > 0)
        {
            PdfObject value = pending.Pop();
            switch (value)
            {
                case PdfReference reference when into.Add(reference.Number) && _document.GetObject(reference.Number) is { } target:
                    pending.Push(target);
                    break;
                case PdfArray array:
                    array.Items.ForEach(pending.Push);
                    break;
                case PdfDictionary dictionary:
                    foreach ((string key, PdfObject item) in dictionary.Entries.Where(e => !UpwardKeys.Contains(e.Key)))
                    {
                        pending.Push(item);
                    }
                    break;
                case PdfStream stream:
                    pending.Push(stream.Dictionary);
                    break;
            }
        }
    }

    private IEnumerable<int> PageNodes(PdfObject? node, int depth)
    {
        if (depth > 64 || node is not PdfReference reference || Pages.ContainsKey(reference.Number) || _document.GetObject(reference.Number) is not PdfDictionary dictionary)
        {
            yield break;
        }
        yield return reference.Number;
        foreach (PdfObject kid in (_document.Resolve(dictionary["Kids"]) as PdfArray)?.Items ?? [])
        {
            foreach (int number in PageNodes(kid, depth + 1))
            {
                yield return number;
            }
        }
    }

    private PdfObject? Inherited(PdfDictionary page, string key)
    {
        PdfDictionary? node = page;
        for (int depth = 0; node is not null && depth < 64; depth++)
        {
            if (node[key] is { } value)
            {
                return value;
            }
            node = _document.Resolve(node["Parent"]) as PdfDictionary;
        }
        return null;
    }

    private void NameFields(PdfArray fields, string prefix, int depth)
    {
        if (depth > 32)
        {
            return;
        }
        foreach (PdfReference item in fields.Items.OfType<PdfReference>())
        {
            if (FieldNames.ContainsKey(item.Number) || _document.GetObject(item.Number) is not PdfDictionary field)
            {
                continue;
            }
            string partial = (field["T"] as PdfString)?.AsText() ?? "";
            string name = prefix.Length == 0 ? partial : partial.Length == 0 ? prefix : prefix + "." + partial;
            FieldNames[item.Number] = name;
            if (_document.Resolve(field["Kids"]) is PdfArray kids)
            {
                NameFields(kids, name, depth + 1);
            }
        }
    }
}
