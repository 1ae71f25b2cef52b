using System.Security.Cryptography;
using System.Text;

namespace Segel.Core.Accounts;

/// <summary>
/// The secrets a bearer presents — session and API tokens, invitation links: 256 random bits as base64url, and the
/// SHA-256 the database keeps instead (UTF-8; for these ASCII strings the same bytes ASCII gave).
/// </summary>
internal static class BearerSecrets
{
    public static string New(string prefix = "") =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
