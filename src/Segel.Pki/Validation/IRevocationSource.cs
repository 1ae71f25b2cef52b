using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Validation;

/// <summary>
/// Where revocation information comes from: the issuer's OCSP responder and CRL over HTTP (the URLs in the
/// certificate), or Segel's own responder in-process. Both answers are untrusted bytes until
/// <see cref="RevocationChecker"/> has checked their signatures.
/// </summary>
public interface IRevocationSource
{
    /// <summary>A DER OCSPResponse about <paramref name="certificate"/>, or null when none could be had.</summary>
    byte[]? FetchOcsp(X509Certificate2 certificate, X509Certificate2 issuer);

    /// <summary>A DER CRL from <paramref name="issuer"/> that covers <paramref name="certificate"/>, or null.</summary>
    byte[]? FetchCrl(X509Certificate2 certificate, X509Certificate2 issuer);
}

/// <summary>A source answered by functions (Segel's own responder and CRL store, called in-process).</summary>
public sealed class DelegateRevocationSource(
    Func<X509Certificate2, X509Certificate2, byte[]?> ocsp,
    Func<X509Certificate2, X509Certificate2, byte[]?>? crl = null) : IRevocationSource
{
    public byte[]? FetchOcsp(X509Certificate2 certificate, X509Certificate2 issuer) => ocsp(certificate, issuer);

    public byte[]? FetchCrl(X509Certificate2 certificate, X509Certificate2 issuer) => crl?.Invoke(certificate, issuer);
}
