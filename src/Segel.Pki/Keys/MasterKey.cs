using System.Security.Cryptography;

namespace Segel.Pki.Keys;

/// <summary>
/// The 256-bit secret under which software keys are sealed. It comes from the environment
/// (<c>SEGEL_MASTER_KEY</c>), from configuration, or from a file readable only by the service account.
/// </summary>
public sealed class MasterKey
{
    public const int Length = 32;
    private readonly byte[] _secret;

    private MasterKey(byte[] secret) => _secret = secret;

    public static MasterKey Generate() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>Parses the base64 form written by <see cref="ToBase64"/>.</summary>
    public static MasterKey Parse(string text)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String((text ?? "").Trim());
        }
        catch (FormatException)
        {
            throw new KeyStoreException("The master key is not valid base64.");
        }
        if (bytes.Length != Length)
        {
            throw new KeyStoreException($"The master key must be {Length} bytes (base64 of 32 random bytes); it is {bytes.Length}.");
        }
        return new MasterKey(bytes);
    }

    public string ToBase64() => Convert.ToBase64String(_secret);

    /// <summary>Derives a purpose-bound key so that one master secret never keys two different uses.</summary>
    public byte[] Derive(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _secret, Length, salt: [], info: System.Text.Encoding.UTF8.GetBytes(purpose));
}
