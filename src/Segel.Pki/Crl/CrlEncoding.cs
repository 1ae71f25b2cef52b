using System.Security.Cryptography;
using System.Text;

namespace Segel.Pki.Crl;

/// <summary>CRL files as people hand them over: PEM (<c>X509 CRL</c>) or DER.</summary>
public static class CrlEncoding
{
    /// <summary>The CRL's DER; null when the file is PEM of something else (a certificate, say).</summary>
    public static byte[]? Der(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.AsSpan().IndexOf("-----BEGIN"u8) < 0)
        {
            return encoded;
        }
        // TryFind checks the base64 as well.
        string text = Encoding.ASCII.GetString(encoded);
        return PemEncoding.TryFind(text, out PemFields fields) && text[fields.Label] == "X509 CRL" ? Convert.FromBase64String(text[fields.Base64Data]) : null;
    }
}
