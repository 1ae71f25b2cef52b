using System.Runtime.InteropServices;

namespace Segel.Pdf.Commands;

/// <summary>
/// Keeps .NET from reading the system's TLS roots in a process that has no use for them. Segel's verification
/// trusts only the roots it is given (never the system's), and an offline verification opens no TLS connection;
/// yet .NET's chain builder on Linux reads every certificate under /etc/ssl/certs on its first use — about half
/// of a `pdf verify --offline` run. OpenSSL finds that store through SSL_CERT_FILE and SSL_CERT_DIR, read once
/// by the native code (hence libc's setenv: .NET's own Environment does not reach it).
/// </summary>
internal static partial class SystemTrustStore
{
    public static void Ignore()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SetEnvironment("SSL_CERT_FILE", "/dev/null", 1);
            _ = SetEnvironment("SSL_CERT_DIR", "", 1);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
