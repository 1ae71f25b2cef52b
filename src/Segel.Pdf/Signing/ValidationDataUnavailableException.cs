namespace Segel.Pdf.Signing;

/// <summary>
/// The validation data B-LT or an extension needs (a certificate's issuer, or its OCSP response or CRL) cannot be
/// had now. It is the outside world not answering, not a fault in the document: callers report "try again later".
/// </summary>
public sealed class ValidationDataUnavailableException : InvalidOperationException
{
    public ValidationDataUnavailableException()
    {
    }

    public ValidationDataUnavailableException(string message) : base(message)
    {
    }

    public ValidationDataUnavailableException(string message, Exception inner) : base(message, inner)
    {
    }
}
