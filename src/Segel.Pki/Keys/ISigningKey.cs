using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Keys;

/// <summary>
/// A private key that can sign but never be read. CA, OCSP and TSA code signs only through this
/// interface, so whether the key lives in software or in an HSM is configuration, not code.
/// </summary>
public interface ISigningKey : IDisposable
{
    /// <summary>Where the key lives, e.g. <c>soft:issuing-ca</c> or <c>pkcs11:token=segel;object=issuing-ca</c>.</summary>
    string Uri { get; }

    KeyAlgorithm Algorithm { get; }

    PublicKey PublicKey { get; }

    /// <summary>
    /// Signs <paramref name="data"/> with the key's own digest and returns the signature in the form
    /// X.509, CRLs and OCSP carry it: PKCS#1 v1.5 for RSA, a DER SEQUENCE of r and s for ECDSA.
    /// </summary>
    /// Implementations must be safe to call from several threads at once.
    byte[] SignData(ReadOnlySpan<byte> data);
}
