using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Validation;

/// <summary>
/// Where revocation information (and a missing issuer) comes from: the URLs in the certificate over HTTP, or
/// Segel's own responder in-process. Every answer is untrusted bytes until <see cref="RevocationChecker"/> or
/// path validation has checked its signature. Asynchronous, because behind it is the network: a verifier
/// inside a web request must not hold a thread while a responder on the other side of the country answers.
/// </summary>
public interface IRevocationSource
{
    /// <summary>A DER OCSPResponse about <paramref name="certificate"/>, or null when none could be had.</summary>
    ValueTask<byte[]?> FetchOcspAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken = default);

    /// <summary>A DER CRL from <paramref name="issuer"/> that covers <paramref name="certificate"/>, or null.</summary>
    ValueTask<byte[]?> FetchCrlAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken = default);

    /// <summary>
    /// Candidate issuers of <paramref name="certificate"/> named by its Authority Information Access (caIssuers,
    /// RFC 5280 §4.2.2.1), for a path whose intermediate did not travel with the signature; empty when none.
    /// </summary>
    ValueTask<IReadOnlyList<X509Certificate2>> FetchIssuersAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default);
}

/// <summary>A source answered by functions (Segel's own responder and CRL store, called in-process).</summary>
public sealed class DelegateRevocationSource(
    Func<X509Certificate2, X509Certificate2, CancellationToken, ValueTask<byte[]?>> ocsp,
    Func<X509Certificate2, X509Certificate2, CancellationToken, ValueTask<byte[]?>>? crl = null) : IRevocationSource
{
    public ValueTask<byte[]?> FetchOcspAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken = default) =>
        ocsp(certificate, issuer, cancellationToken);

    public ValueTask<byte[]?> FetchCrlAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken = default) =>
        crl?.Invoke(certificate, issuer, cancellationToken) ?? ValueTask.FromResult<byte[]?>(null);

    /// <summary>An in-process CA knows its own certificates; they travel with what it signs.</summary>
    public ValueTask<IReadOnlyList<X509Certificate2>> FetchIssuersAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<X509Certificate2>>([]);
}
