using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Keys;

/// <summary>A key held in process memory, loaded from its sealed form by <see cref="SoftwareKeyStore"/>.</summary>
public sealed class SoftwareSigningKey : ISigningKey
{
    private readonly AsymmetricAlgorithm _key;
    // .NET does not promise that one RSA/ECDsa instance may sign on several threads at once, and one lock made every
    // signature wait for the last (the OCSP responder's fresh answers on a busy server). Each signer borrows an
    // instance of its own: as many exist as have ever signed at once, all disposed with this key.
    private readonly ConcurrentBag<AsymmetricAlgorithm> _spares = [];

    public SoftwareSigningKey(string uri, KeyAlgorithm algorithm, AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key is not RSA and not ECDsa)
        {
            throw new ArgumentException("Only RSA and ECDSA keys are supported.", nameof(key));
        }
        Uri = uri;
        Algorithm = algorithm;
        _key = key;
        PublicKey = key is RSA rsa ? new PublicKey(rsa) : new PublicKey((ECDsa)key);
    }

    public string Uri { get; }

    public KeyAlgorithm Algorithm { get; }

    public PublicKey PublicKey { get; }

    public byte[] SignData(ReadOnlySpan<byte> data)
    {
        AsymmetricAlgorithm signer = _spares.TryTake(out AsymmetricAlgorithm? spare) ? spare : Copy();
        try
        {
            return signer switch
            {
                RSA rsa => rsa.SignData(data, Algorithm.Hash(), RSASignaturePadding.Pkcs1),
                ECDsa ec => ec.SignData(data, Algorithm.Hash(), DSASignatureFormat.Rfc3279DerSequence),
                _ => throw new InvalidOperationException("unreachable"),
            };
        }
        finally
        {
            _spares.Add(signer);
        }
    }

    /// <summary>Another instance of the same key, for one more signer at a time.</summary>
    private AsymmetricAlgorithm Copy()
    {
        lock (_key)
        {
            switch (_key)
            {
                case RSA rsa:
                    RSAParameters rsaParameters = rsa.ExportParameters(includePrivateParameters: true);
                    try
                    {
                        return RSA.Create(rsaParameters);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(rsaParameters.D);
                        CryptographicOperations.ZeroMemory(rsaParameters.P);
                        CryptographicOperations.ZeroMemory(rsaParameters.Q);
                        CryptographicOperations.ZeroMemory(rsaParameters.DP);
                        CryptographicOperations.ZeroMemory(rsaParameters.DQ);
                        CryptographicOperations.ZeroMemory(rsaParameters.InverseQ);
                    }
                case ECDsa ec:
                    ECParameters ecParameters = ec.ExportParameters(includePrivateParameters: true);
                    try
                    {
                        return ECDsa.Create(ecParameters);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(ecParameters.D);
                    }
                default:
                    throw new InvalidOperationException("unreachable");
            }
        }
    }

    /// <summary>Attaches this key to its certificate, for PKCS#12 export of keys Segel generated.</summary>
    public X509Certificate2 AttachTo(X509Certificate2 certificate) => _key switch
    {
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        ECDsa ec => certificate.CopyWithPrivateKey(ec),
        _ => throw new InvalidOperationException("unreachable"),
    };

    public static SoftwareSigningKey Generate(string uri, KeyAlgorithm algorithm)
    {
        AsymmetricAlgorithm key = algorithm.IsRsa()
            ? RSA.Create(algorithm.RsaKeySize())
            : ECDsa.Create(algorithm.Curve());
        return new SoftwareSigningKey(uri, algorithm, key);
    }

    internal byte[] ExportPkcs8() => _key.ExportPkcs8PrivateKey();

    public void Dispose()
    {
        while (_spares.TryTake(out AsymmetricAlgorithm? spare))
        {
            spare.Dispose();
        }
        _key.Dispose();
    }
}
