using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Keys;

/// <summary>Lets .NET's certificate and CRL builders sign through any <see cref="ISigningKey"/>, software or HSM.</summary>
public sealed class KeySignatureGenerator : X509SignatureGenerator
{
    private readonly ISigningKey _key;

    public KeySignatureGenerator(ISigningKey key) => _key = key ?? throw new ArgumentNullException(nameof(key));

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        EnsureHash(hashAlgorithm);
        return SignatureAlgorithms.AlgorithmIdentifier(_key.Algorithm);
    }

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
    {
        EnsureHash(hashAlgorithm);
        return _key.SignData(data);
    }

    protected override PublicKey BuildPublicKey() => _key.PublicKey;

    private void EnsureHash(HashAlgorithmName hashAlgorithm)
    {
        if (hashAlgorithm != _key.Algorithm.Hash())
        {
            throw new CryptographicException($"Key {_key.Uri} signs with {_key.Algorithm.Hash().Name}, not {hashAlgorithm.Name}.");
        }
    }
}

public static class SigningKeyExtensions
{
    public static X509SignatureGenerator CreateSignatureGenerator(this ISigningKey key) => new KeySignatureGenerator(key);
}
