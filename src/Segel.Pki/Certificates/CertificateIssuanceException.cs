namespace Segel.Pki.Certificates;

/// <summary>A certificate was refused; the message is fit to show to the person who asked for it.</summary>
public sealed class CertificateIssuanceException : Exception
{
    public CertificateIssuanceException(string message) : base(message) { }

    public CertificateIssuanceException(string message, Exception inner) : base(message, inner) { }

    public CertificateIssuanceException() { }
}
