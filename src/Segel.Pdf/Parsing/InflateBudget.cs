namespace Segel.Pdf.Parsing;

/// <summary>
/// How far a document may expand when its streams are decompressed: <see cref="Ratio"/> times the file's size, at least
/// <see cref="FloorBytes"/>, never more than <see cref="CapBytes"/>. Honest PDFs stay far below (object and
/// cross-reference streams compress 3–10 times); a compression bomb (30 object streams of 60 MB each in a 1.8 MB file)
/// is refused after spending no more than its budget.
/// </summary>
public sealed record PdfReadLimits
{
    public static PdfReadLimits Default { get; } = new();

    public int Ratio { get; init; } = 20;

    public long FloorBytes { get; init; } = 16L * 1024 * 1024;

    public long CapBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>The bytes a file of <paramref name="fileLength"/> bytes may inflate to.</summary>
    public long BudgetFor(long fileLength) => Math.Min(CapBytes, Math.Max(FloorBytes, fileLength * Ratio));
}

/// <summary>
/// What is left of a document's decompression budget, shared by every stream read from it — and, in verification, by
/// every revision opened again — so a hostile file costs at most its budget however it is read.
/// </summary>
public sealed class InflateBudget
{
    private long _remaining;

    public InflateBudget(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Total = bytes;
        _remaining = bytes;
    }

    public static InflateBudget For(long fileLength, PdfReadLimits? limits = null) => new((limits ?? PdfReadLimits.Default).BudgetFor(fileLength));

    public long Total { get; }

    public long Remaining => Interlocked.Read(ref _remaining);

    /// <summary>Takes <paramref name="bytes"/> from the budget, or throws <see cref="PdfLimitException"/> when they are not there.</summary>
    internal void Spend(long bytes)
    {
        if (Interlocked.Add(ref _remaining, -bytes) < 0)
        {
            throw new PdfLimitException(Total);
        }
    }
}

/// <summary>The document expands beyond what Segel will decompress for it: refused before it costs more.</summary>
public sealed class PdfLimitException : PdfFormatException
{
    public PdfLimitException()
    {
    }

    public PdfLimitException(string message) : base(message)
    {
    }

    public PdfLimitException(string message, Exception inner) : base(message, inner)
    {
    }

    public PdfLimitException(long budget)
        : base($"Its compressed streams expand to more than {Math.Max(1, budget / (1024 * 1024))} MiB, more than Segel decompresses for a file of this size.")
    {
        Budget = budget;
    }

    public long Budget { get; }
}
