using Segel.Pdf.Model;

namespace Segel.Pdf.Text;

/// <summary>A PDF transformation matrix [a b c d e f] (ISO 32000-2 §8.3.4); row vectors, so p' = p × M.</summary>
internal readonly record struct Matrix(double A, double B, double C, double D, double E, double F)
{
    public static Matrix Identity { get; } = new(1, 0, 0, 1, 0, 0);

    public static Matrix Translation(double x, double y) => new(1, 0, 0, 1, x, y);

    public static Matrix From(IReadOnlyList<PdfObject> operands) =>
        new(N(operands[0]), N(operands[1]), N(operands[2]), N(operands[3]), N(operands[4]), N(operands[5]));

    private static double N(PdfObject value) => value is PdfNumber n ? n.Value : 0;

    /// <summary>This × other: first this transformation, then the other.</summary>
    public Matrix Times(Matrix o) => new(
        (A * o.A) + (B * o.C), (A * o.B) + (B * o.D),
        (C * o.A) + (D * o.C), (C * o.B) + (D * o.D),
        (E * o.A) + (F * o.C) + o.E, (E * o.B) + (F * o.D) + o.F);

    public (double X, double Y) Apply(double x, double y) => ((x * A) + (y * C) + E, (x * B) + (y * D) + F);
}
