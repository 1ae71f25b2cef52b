using System.Security.Cryptography;

namespace Segel.Pki.Certificates;

/// <summary>
/// Certificate serial numbers: 128 bits from the CSPRNG (CA/B Forum asks for at least 64), kept positive
/// and exactly 16 octets in DER so they never need a sign byte. Uniqueness per issuer is the database's job.
/// </summary>
public static class SerialNumber
{
    public const int Length = 16;

    public static byte[] New()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(Length);
        // Clear the sign bit, and keep the first octet non-zero so the DER length never shrinks.
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    public static string ToHex(ReadOnlySpan<byte> serial) => Convert.ToHexString(serial);

    /// <summary>Parses a serial typed by a person: hex, optional 0x prefix, colons or spaces allowed.</summary>
    public static bool TryParseHex(string? text, out byte[] serial)
    {
        serial = [];
        string clean = (text ?? "").Trim();
        if (clean.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            clean = clean[2..];
        }
        clean = clean.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (clean.Length == 0 || clean.Length > 40)
        {
            return false;
        }
        if (clean.Length % 2 == 1)
        {
            clean = "0" + clean;
        }
        try
        {
            serial = Convert.FromHexString(clean);
        }
        catch (FormatException)
        {
            return false;
        }
        serial = TrimSignPadding(serial).ToArray();
        return true;
    }

    public static string Normalise(ReadOnlySpan<byte> serial) => ToHex(TrimSignPadding(serial));

    // Drop sign-padding zeros so "00AB…" and "AB…" name the same certificate.
    private static ReadOnlySpan<byte> TrimSignPadding(ReadOnlySpan<byte> serial)
    {
        int skip = 0;
        while (skip < serial.Length - 1 && serial[skip] == 0)
        {
            skip++;
        }
        return serial[skip..];
    }

}
