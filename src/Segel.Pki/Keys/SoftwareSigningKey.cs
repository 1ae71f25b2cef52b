using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Keys;

/// <summary>A key held in process memory, loaded from its sealed form by <see cref="SoftwareKeyStore"/>.</summary>
public sealed class SoftwareSigningKey : ISigningKey
{
    private readonly AsymmetricAlgorithm _key;

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
        // .NET does not promise that one RSA/ECDsa instance may sign on several threads at once.
        lock (_key)
        {
            return _key switch
            {
                RSA rsa => rsa.SignData(data, Algorithm.Hash(), RSASignaturePadding.Pkcs1),
                ECDsa ec => ec.SignData(data, Algorithm.Hash(), DSASignatureFormat.Rfc3279DerSequence),
                _ => throw new InvalidOperationException("unreachable"),
            };
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

    public void Dispose() => _key.Dispose();
}
