using System.Security.Cryptography;
using System.Text;

namespace Segel.Pki.Keys;

/// <summary>
/// Software keys, sealed at rest with AES-256-GCM under a key derived from the master key. The key's URI
/// is bound in as associated data, so a sealed blob cannot be swapped onto another key's record.
/// </summary>
public sealed class SoftwareKeyStore : IKeyStore
{
    public const string Scheme = "soft";
    private const byte FormatVersion = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private readonly byte[] _kek;

    public SoftwareKeyStore(MasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        _kek = masterKey.Derive("segel/ca-key-seal/v1");
    }

    public StoredKey Generate(string label, KeyAlgorithm algorithm)
    {
        string uri = $"{Scheme}:{label}";
        using SoftwareSigningKey key = SoftwareSigningKey.Generate(uri, algorithm);
        byte[] pkcs8 = key.ExportPkcs8();
        try
        {
            return new StoredKey(uri, algorithm, Seal(uri, pkcs8));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public ISigningKey Open(StoredKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Uri.StartsWith(Scheme + ":", StringComparison.Ordinal) || key.SealedPrivateKey is null)
        {
            throw new KeyStoreException($"Key {key.Uri} is not a software key.");
        }
        byte[] pkcs8 = Unseal(key.Uri, key.SealedPrivateKey);
        try
        {
            AsymmetricAlgorithm algorithm = key.Algorithm.IsRsa() ? RSA.Create() : ECDsa.Create();
            algorithm.ImportPkcs8PrivateKey(pkcs8, out _);
            return new SoftwareSigningKey(key.Uri, key.Algorithm, algorithm);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private byte[] Seal(string uri, byte[] plaintext)
    {
        byte[] blob = new byte[1 + NonceLength + TagLength + plaintext.Length];
        blob[0] = FormatVersion;
        Span<byte> nonce = blob.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_kek, TagLength);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(1 + NonceLength + TagLength), blob.AsSpan(1 + NonceLength, TagLength),
            Encoding.UTF8.GetBytes(uri));
        return blob;
    }

    private byte[] Unseal(string uri, byte[] blob)
    {
        if (blob.Length <= 1 + NonceLength + TagLength || blob[0] != FormatVersion)
        {
            throw new KeyStoreException($"The sealed form of key {uri} is damaged or of an unknown version.");
        }
        byte[] plaintext = new byte[blob.Length - 1 - NonceLength - TagLength];
        using var aes = new AesGcm(_kek, TagLength);
        try
        {
            aes.Decrypt(blob.AsSpan(1, NonceLength), blob.AsSpan(1 + NonceLength + TagLength),
                blob.AsSpan(1 + NonceLength, TagLength), plaintext, Encoding.UTF8.GetBytes(uri));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new KeyStoreException(
                $"Key {uri} cannot be unsealed: the master key is not the one it was sealed with, or the record was altered.", e);
        }
        return plaintext;
    }
}
