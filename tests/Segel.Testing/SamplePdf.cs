using Segel.Pdf.Writing;

namespace Segel.Testing;

/// <summary>Small PDFs with a classic cross-reference table (<see cref="PlainPdf"/>); qpdf turns them into the other structures.</summary>
public static class SamplePdf
{
    public static byte[] Letter(string text = "Surat Dinas Nomor 800/123/DISKOMINFO", int pages = 1, string version = "1.7") =>
        PlainPdf.Pages([.. Enumerable.Range(1, pages).Select(i => $"BT /F1 18 Tf 72 720 Td ({text} - halaman {i}) Tj ET")], version);

    /// <summary>One A4 page drawing <paramref name="content"/> (a content stream; Helvetica is /F1).</summary>
    public static byte[] Page(string content) => PlainPdf.Pages([content]);
}
