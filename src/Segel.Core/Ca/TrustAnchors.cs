using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Core.Errors;

namespace Segel.Core.Ca;

/// <summary>
/// The roots a signature, a time-stamp or a certificate shown to Segel may chain to (issue 21.3): Segel's own, and the
/// outside roots the installation trusts (<c>TrustAnchors</c>: the national root, another regency's) — read once from
/// PEM files at start, each checked to be a CA certificate. The report names the root a signature chains to, so a
/// letter under the national root reads differently from one under the regency's own.
/// </summary>
public sealed class TrustAnchors
{
    private const int MaxFileBytes = 1024 * 1024;
    private readonly AuthorityRing _ring;

    internal TrustAnchors(AuthorityRing ring, IReadOnlyList<X509Certificate2> outside)
    {
        _ring = ring;
        Outside = outside;
    }

    /// <summary>The configured outside roots, without Segel's own.</summary>
    public IReadOnlyList<X509Certificate2> Outside { get; }

    /// <summary>Segel's own roots, then the outside ones.</summary>
    public async Task<IReadOnlyList<X509Certificate2>> AllAsync(CancellationToken cancellationToken = default) =>
        [.. (await _ring.GetAllAsync(cancellationToken)).Where(a => a.Record.Role == Storage.AuthorityRole.RootCa).Select(a => a.Certificate), .. Outside];

    /// <summary>Every certificate in the files (relative paths from the data folder); refused when one is missing, unreadable or not a CA's.</summary>
    internal static IReadOnlyList<X509Certificate2> Load(IEnumerable<string>? files, string folder)
    {
        var anchors = new List<X509Certificate2>();
        foreach (string file in (files ?? []).Where(f => !string.IsNullOrWhiteSpace(f)))
        {
            string path = Path.IsPathRooted(file) ? file : Path.Combine(folder, file);
            if (!File.Exists(path) || new FileInfo(path).Length > MaxFileBytes)
            {
                throw SegelException.Invalid("TrustAnchors", $"The trust anchor file {path} does not exist or is larger than 1 MiB.");
            }
            var read = new X509Certificate2Collection();
            try
            {
                read.ImportFromPem(File.ReadAllText(path));
            }
            catch (CryptographicException)
            {
                read.Clear();
            }
            if (read.Count == 0)
            {
                throw SegelException.Invalid("TrustAnchors", $"The trust anchor file {path} holds no readable PEM certificate.");
            }
            foreach (X509Certificate2 certificate in read)
            {
                if (certificate.Extensions["2.5.29.19"] is not X509BasicConstraintsExtension { CertificateAuthority: true })
                {
                    throw SegelException.Invalid("TrustAnchors", $"{certificate.Subject} in {path} is not a CA certificate; a trust anchor must be one.");
                }
                anchors.Add(certificate);
            }
        }
        return anchors;
    }
}
