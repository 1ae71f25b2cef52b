using Segel.Pdf.Parsing;

namespace Segel.Pdf.Security;

/// <summary>An encrypted PDF that the given password (or none) does not open.</summary>
public sealed class PdfPasswordException : PdfFormatException
{
    public PdfPasswordException(string message)
        : base(message)
    {
    }

    public PdfPasswordException()
    {
    }

    public PdfPasswordException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
