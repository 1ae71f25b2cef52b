namespace Segel.Pdf.Parsing;

/// <summary>The bytes are not a PDF Segel can read, with a message a person can act on.</summary>
public class PdfFormatException : Exception
{
    public PdfFormatException()
    {
    }

    public PdfFormatException(string message) : base(message)
    {
    }

    public PdfFormatException(string message, Exception inner) : base(message, inner)
    {
    }
}
