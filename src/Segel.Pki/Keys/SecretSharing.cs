using System.Security.Cryptography;

namespace Segel.Pki.Keys;

/// <summary>One share of a secret: its point <see cref="X"/> (1–255) and the polynomial's values there, one per secret byte.</summary>
public sealed record SecretShare(byte X, byte[] Y);

/// <summary>
/// Shamir's secret sharing, byte by byte in GF(2^8) with the field polynomial x^8 + x^4 + x^3 + x^2 + 1 — the field of
/// libgfshare, so a share is interchangeable with Debian's <c>gfsplit</c>/<c>gfcombine</c> (a share file named
/// <c>stem.NNN</c> holds <see cref="SecretShare.Y"/>, NNN being <see cref="SecretShare.X"/>): officers who hold shares of
/// the key-recovery secret (issue 23.5) could recombine them without Segel. Any <c>threshold</c> shares give the secret;
/// fewer give nothing about it. For rare recovery operations: the table lookups are not constant-time.
/// </summary>
public static class SecretSharing
{
    private static readonly byte[] Exp = new byte[510];
    private static readonly byte[] Log = new byte[256];

#pragma warning disable CA1810 // the tables are computed, not literal
    static SecretSharing()
#pragma warning restore CA1810
    {
        int value = 1;
        for (int i = 0; i < 255; i++)
        {
            Exp[i] = Exp[i + 255] = (byte)value;
            Log[value] = (byte)i;
            value <<= 1;
            if (value > 0xFF)
            {
                value ^= 0x11D;
            }
        }
    }

    /// <summary>Splits <paramref name="secret"/> into <paramref name="count"/> shares at x = 1…count, any <paramref name="threshold"/> of which rebuild it.</summary>
    public static IReadOnlyList<SecretShare> Split(ReadOnlySpan<byte> secret, int threshold, int count)
    {
        if (secret.IsEmpty)
        {
            throw new ArgumentException("There is no secret to split.", nameof(secret));
        }
        if (threshold < 2 || count < threshold || count > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), $"A {threshold}-of-{count} split is not possible: 2 ≤ threshold ≤ count ≤ 255.");
        }
        // Row j holds the coefficient of x^(j+1) for every byte of the secret; the secret is the constant term.
        byte[] coefficients = RandomNumberGenerator.GetBytes((threshold - 1) * secret.Length);
        try
        {
            var shares = new SecretShare[count];
            for (int s = 0; s < count; s++)
            {
                byte x = (byte)(s + 1);
                byte[] y = new byte[secret.Length];
                for (int i = 0; i < secret.Length; i++)
                {
                    // Horner's rule from the highest coefficient down to the secret.
                    byte acc = 0;
                    for (int j = threshold - 2; j >= 0; j--)
                    {
                        acc = (byte)(Multiply(acc, x) ^ coefficients[j * secret.Length + i]);
                    }
                    y[i] = (byte)(Multiply(acc, x) ^ secret[i]);
                }
                shares[s] = new SecretShare(x, y);
            }
            return shares;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(coefficients);
        }
    }

    /// <summary>
    /// Rebuilds the secret from shares of one split (Lagrange interpolation at x = 0). Given fewer than the threshold it
    /// returns bytes that are not the secret: whether enough were given is the caller's record to keep.
    /// </summary>
    public static byte[] Combine(IReadOnlyList<SecretShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Count == 0)
        {
            throw new ArgumentException("No shares to combine.", nameof(shares));
        }
        int length = shares[0].Y.Length;
        for (int j = 0; j < shares.Count; j++)
        {
            if (shares[j].X == 0 || shares[j].Y.Length != length || length == 0)
            {
                throw new ArgumentException("Shares must have a point from 1 to 255 and values of one length.", nameof(shares));
            }
            for (int m = 0; m < j; m++)
            {
                if (shares[m].X == shares[j].X)
                {
                    throw new ArgumentException($"Share {shares[j].X} is given twice.", nameof(shares));
                }
            }
        }
        byte[] secret = new byte[length];
        for (int j = 0; j < shares.Count; j++)
        {
            // The Lagrange basis polynomial of share j at 0: the product of x_m / (x_m - x_j); subtraction is XOR here.
            byte basis = 1;
            for (int m = 0; m < shares.Count; m++)
            {
                if (m != j)
                {
                    basis = Multiply(basis, Divide(shares[m].X, (byte)(shares[m].X ^ shares[j].X)));
                }
            }
            byte[] y = shares[j].Y;
            for (int i = 0; i < length; i++)
            {
                secret[i] ^= Multiply(basis, y[i]);
            }
        }
        return secret;
    }

    private static byte Multiply(byte a, byte b) => a == 0 || b == 0 ? (byte)0 : Exp[Log[a] + Log[b]];

    private static byte Divide(byte a, byte b) => a == 0 ? (byte)0 : Exp[Log[a] + 255 - Log[b]];
}
