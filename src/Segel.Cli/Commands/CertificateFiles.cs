using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Core.Errors;

namespace Segel.Cli.Commands;

/// <summary>Certificates and PKCS#12 files as the commands take them, with one plain error for each way they can be wrong.</summary>
internal static class CertificateFiles
{
    /// <summary>Every certificate in a PEM or DER file.</summary>
    public static List<X509Certificate2> Read(string file, string option)
    {
        byte[] bytes = CommonOptions.ReadFile(file, "certificate", 1024 * 1024);
        try
        {
            var collection = new X509Certificate2Collection();
            if (bytes.AsSpan().IndexOf("-----BEGIN"u8) >= 0)
            {
                collection.ImportFromPem(System.Text.Encoding.ASCII.GetString(bytes));
            }
            else
            {
                collection.Add(X509CertificateLoader.LoadCertificate(bytes));
            }
            return collection.Count > 0 ? [.. collection] : throw new CryptographicException();
        }
        catch (CryptographicException)
        {
            throw new SegelException(ErrorKind.Invalid, $"{file} holds no readable certificate.", option);
        }
    }

    /// <summary>The certificate with a private key from a PKCS#12 (key exportable, for BouncyCastle-based CMS), and the rest of its chain.</summary>
    public static (X509Certificate2 Owner, List<X509Certificate2> Chain) ReadPkcs12(string file, string? passwordFile)
    {
        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12Collection(CommonOptions.ReadFile(file, "PKCS#12", 1024 * 1024), CommonOptions.ReadSecret(passwordFile),
                X509KeyStorageFlags.Exportable);
        }
        catch (CryptographicException)
        {
            throw new SegelException(ErrorKind.Invalid, $"The PKCS#12 cannot be opened: wrong password or not a PKCS#12 file.", "--p12");
        }
        X509Certificate2 owner = all.FirstOrDefault(c => c.HasPrivateKey) ?? throw new SegelException(ErrorKind.Invalid, $"The PKCS#12 holds no private key.", "--p12");
        return (owner, [.. all.Where(c => !c.HasPrivateKey)]);
    }
}
