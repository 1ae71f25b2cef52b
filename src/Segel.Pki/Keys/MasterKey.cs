using System.Security.Cryptography;

namespace Segel.Pki.Keys;

/// <summary>
/// The 256-bit secret under which software keys are sealed. It comes from the environment
/// (<c>SEGEL_MASTER_KEY</c>), from configuration, or from a file readable only by the service account.
/// </summary>
public sealed class MasterKey
{
    public const int Length = 32;
    private readonly byte[]? _secret;
    private readonly Func<string, byte[]>? _derive;

    private MasterKey(byte[] secret) => _secret = secret;

    private MasterKey(Func<string, byte[]> derive) => _derive = derive;

    /// <summary>A master key that never leaves a device (an HSM): each purpose key is derived there, e.g. by HMAC.</summary>
    public static MasterKey HeldBy(Func<string, byte[]> derive)
    {
        ArgumentNullException.ThrowIfNull(derive);
        return new MasterKey(derive);
    }

    /// <summary>True when the secret is in this process (software); false when a device derives the purpose keys.</summary>
    public bool IsInMemory => _secret is not null;

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

    public string ToBase64() => _secret is not null ? Convert.ToBase64String(_secret)
        : throw new InvalidOperationException("This master key is held by an HSM and cannot be exported.");

    /// <summary>Derives a purpose-bound key so that one master secret never keys two different uses.</summary>
    public byte[] Derive(string purpose) => _secret is not null
        ? HKDF.DeriveKey(HashAlgorithmName.SHA256, _secret, Length, salt: [], info: System.Text.Encoding.UTF8.GetBytes(purpose))
        : _derive!(purpose);
}
