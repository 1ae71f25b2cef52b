using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Segel.Core.Accounts;

/// <summary>
/// Argon2id password hashes in the PHC string format (<c>$argon2id$v=19$m=…,t=…,p=…$salt$hash</c>), so the
/// parameters travel with each hash and can be raised later without breaking old ones. Defaults follow
/// OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane).
/// </summary>
public sealed class PasswordHasher(int memoryKiB = 19_456, int iterations = 2, int parallelism = 1)
{
    public const int MinLength = 12;
    private const int SaltLength = 16;
    private const int HashLength = 32;

    public string Hash(string password)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(SaltLength);
        byte[] hash = Compute(password, salt, memoryKiB, iterations, parallelism);
        return string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={memoryKiB},t={iterations},p={parallelism}${B64(salt)}${B64(hash)}");
    }

    public static bool Verify(string password, string encoded)
    {
        string[] parts = (encoded ?? "").Split('$');
        if (parts.Length != 6 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return false;
        }
        var parameters = parts[3].Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        byte[] salt = FromB64(parts[4]);
        byte[] expected = FromB64(parts[5]);
        // An empty password is never right, but costs the same hashing (Argon2 refuses an empty one), so timing tells nothing.
        byte[] actual = Compute(string.IsNullOrEmpty(password) ? "\0" : password, salt, parameters["m"], parameters["t"], parameters["p"], expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected) && !string.IsNullOrEmpty(password);
    }

    /// <summary>Argon2id of a password with the given parameters (memory in KiB); what both account passwords and holder keys stretch with.</summary>
    public static byte[] Compute(string password, byte[] salt, int memory, int iterations, int parallelism, int length = HashLength)
    {
        using var argon = new Argon2id(Encoding.UTF8.GetBytes(password ?? ""))
        {
            Salt = salt,
            MemorySize = memory,
            Iterations = iterations,
            DegreeOfParallelism = parallelism,
        };
        return argon.GetBytes(length);
    }

    // PHC strings use unpadded standard base64.
    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromB64(string text) => Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
}
