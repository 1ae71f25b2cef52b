namespace Segel.Pdf.Writing;

/// <summary>
/// Widths of the standard Helvetica glyphs (Adobe's AFM, in thousandths of the font size) for the printable ASCII
/// range, so text can be wrapped and right-aligned without embedding a font. Other Latin-1 letters are taken as
/// wide as an <c>n</c>; bold is taken a little wider than regular, which errs on the side of wrapping early.
/// </summary>
internal static class HelveticaMetrics
{
    private const double BoldFactor = 1.07;
    private const int Other = 556;

    private static readonly short[] Widths =
    [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space ! " # $ % & ' ( ) * + , - . /
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0-9 : ; < = > ?
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ A-O
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P-Z [ \ ] ^ _
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` a-o
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p-z { | } ~
    ];

    /// <summary>The width of <paramref name="text"/> in points at <paramref name="size"/>.</summary>
    public static double Width(string text, double size, bool bold = false)
    {
        double units = 0;
        foreach (char c in text)
        {
            units += c is >= ' ' and <= '~' ? Widths[c - ' '] : Other;
        }
        return units * size / 1000 * (bold ? BoldFactor : 1);
    }
}
