using Segel.Pdf.Model;
using Segel.Pdf.Parsing;

namespace Segel.Pdf.Verification;

/// <summary>
/// Whether two versions of an object say the same thing: references by number, numbers by value, streams by their
/// dictionaries and decoded bytes (a stream recompressed, or moved into an object stream, is the same stream).
/// </summary>
internal static class PdfEquality
{
    // Keys that describe how a stream is stored, not what it holds.
    private static readonly HashSet<string> Encoding = ["Length", "Filter", "DecodeParms", "DL"];

    public static bool Same(PdfDocument da, PdfObject? a, PdfDocument db, PdfObject? b, int depth = 0)
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
            (PdfStream x, PdfStream y) => SameStream(da, x, db, y, depth),
            _ => false,
        };
    }

    private static bool SameStream(PdfDocument da, PdfStream x, PdfDocument db, PdfStream y, int depth)
    {
        if (Same(da, x.Dictionary, db, y.Dictionary, depth + 1) && da.RawData(x).SequenceEqual(db.RawData(y)))
        {
            return true;
        }
        var keys = x.Dictionary.Entries.Select(e => e.Key).Union(y.Dictionary.Entries.Select(e => e.Key)).Where(k => !Encoding.Contains(k));
        if (!keys.All(k => Same(da, x.Dictionary[k], db, y.Dictionary[k], depth + 1)))
        {
            return false;
        }
        try
        {
            // Decoding spends the verification's inflate budget, so a file of many recompressed streams stays bounded.
            return da.Decode(x).AsSpan().SequenceEqual(db.Decode(y));
        }
        catch (PdfFormatException e) when (e is not PdfLimitException)
        {
            return false;
        }
    }
}
