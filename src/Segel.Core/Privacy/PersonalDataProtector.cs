using System.Security.Cryptography;
using System.Text;
using Segel.Pki.Keys;

namespace Segel.Core.Privacy;

/// <summary>
/// Keeps the NIK (and later other sensitive personal data) out of the database in clear: sealed with
/// AES-256-GCM for the few who may read it, and findable through a keyed hash, so that lookups and the
/// uniqueness constraint work without decrypting anything. Both keys derive from the master key.
/// </summary>
public sealed class PersonalDataProtector
{
    /// <summary>The purpose an employee's NIK is sealed and looked up under (the value is stored data: never change it).</summary>
    public const string NikPurpose = "nik";

    private const int NonceLength = 12;
    private const int TagLength = 16;
    private readonly byte[] _sealKey;
    private readonly byte[] _lookupKey;

    public PersonalDataProtector(MasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        _sealKey = masterKey.Derive("segel/personal-data-seal/v1");
        _lookupKey = masterKey.Derive("segel/personal-data-lookup/v1");
    }

    /// <summary>A keyed hash of <paramref name="value"/> in <paramref name="purpose"/>: equal inputs give equal outputs, and nothing else can be learnt.</summary>
    public byte[] Lookup(string purpose, string value) =>
        HMACSHA256.HashData(_lookupKey, Encoding.UTF8.GetBytes(purpose + "\0" + value));

    public byte[] Seal(string purpose, string value) => Seal(purpose, Encoding.UTF8.GetBytes(value), []);

    public string Open(string purpose, byte[] sealedValue) => Encoding.UTF8.GetString(Open(purpose, sealedValue, []));

    /// <summary>
    /// Seals bytes (a scanned KTP, a mail body) for <paramref name="purpose"/>; <paramref name="context"/> binds the blob to
    /// where it belongs (e.g. the document's SHA-256), so a blob moved to another row does not open there.
    /// </summary>
    public byte[] Seal(string purpose, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> context)
    {
        byte[] blob = new byte[NonceLength + TagLength + plaintext.Length];
        RandomNumberGenerator.Fill(blob.AsSpan(0, NonceLength));
        using var aes = new AesGcm(_sealKey, TagLength);
        aes.Encrypt(blob.AsSpan(0, NonceLength), plaintext, blob.AsSpan(NonceLength + TagLength), blob.AsSpan(NonceLength, TagLength), AssociatedData(purpose, context));
        return blob;
    }

    public byte[] Open(string purpose, byte[] sealedValue, ReadOnlySpan<byte> context)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        if (sealedValue.Length < NonceLength + TagLength)
        {
            throw new CryptographicException("The sealed value is damaged.");
        }
        byte[] plaintext = new byte[sealedValue.Length - NonceLength - TagLength];
        using var aes = new AesGcm(_sealKey, TagLength);
        aes.Decrypt(sealedValue.AsSpan(0, NonceLength), sealedValue.AsSpan(NonceLength + TagLength), sealedValue.AsSpan(NonceLength, TagLength), plaintext,
            AssociatedData(purpose, context));
        return plaintext;
    }

    // Purpose alone for values sealed before a context existed (NIK, TOTP), so they still open.
    private static byte[] AssociatedData(string purpose, ReadOnlySpan<byte> context) =>
        context.IsEmpty ? Encoding.UTF8.GetBytes(purpose) : [.. Encoding.UTF8.GetBytes(purpose + "\0"), .. context];
}
