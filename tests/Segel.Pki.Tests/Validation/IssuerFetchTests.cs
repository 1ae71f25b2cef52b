using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Validation;

namespace Segel.Pki.Tests.Validation;

/// <summary>
/// A signature that travels without its intermediate: the validator fetches it from the leaf's caIssuers URL
/// (RFC 5280 §4.2.2.1) asynchronously, over a real HTTP listener, and only when it may go online.
/// </summary>
public sealed class IssuerFetchTests
{
    [Fact]
    public async Task A_missing_intermediate_is_fetched_from_ca_issuers_only_when_online()
    {
        int port = FreePort();
        string url = $"http://127.0.0.1:{port}/issuing.cer";
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issuingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 root = Authority("CN=Fetch Root", rootKey).CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        CertificateRequest issuingRequest = Authority("CN=Fetch Issuing", issuingKey);
        issuingRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false)); // RFC 5280 §4.2.1.1
        using X509Certificate2 issuing = issuingRequest.Create(root, now.AddDays(-1), now.AddYears(4), [1]);
        var leafRequest = new CertificateRequest("CN=Budi Santoso", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [url]));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuing, true, false));
        using X509Certificate2 leaf = leafRequest.Create(issuing.CopyWithPrivateKey(issuingKey), now.AddDays(-1), now.AddYears(1), [2]);

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        int served = 0;
        Task serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                Interlocked.Increment(ref served);
                context.Response.ContentType = "application/pkix-cert";
                await context.Response.OutputStream.WriteAsync(issuing.RawData);
                context.Response.Close();
            }
        });

        PathResult offline = await PathValidator.CheckAsync(new PathCheck(leaf, [root], now, new RevocationEvidence()));
        Assert.Equal(ChainVerdict.Indeterminate, offline.Verdict);
        Assert.Contains(offline.Findings, f => f.Code == FindingCode.ChainNotTrusted && f.Detail?.Contains("PartialChain", StringComparison.Ordinal) == true);
        Assert.Equal(0, served);

        PathResult online = await PathValidator.CheckAsync(new PathCheck(leaf, [root], now, new RevocationEvidence { Online = new HttpRevocationSource() }));
        Assert.Contains(online.Findings, f => f.Code == FindingCode.ChainTrusted);
        Assert.Equal(1, served);
        listener.Stop();
        await serving;
    }

    [Fact]
    public void What_a_ca_issuers_url_serves_is_read_as_der_or_a_certs_only_cms_and_garbage_is_nothing()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 one = Authority("CN=One", key).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        using X509Certificate2 two = Authority("CN=Two", key).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        // A .p7c as openssl writes it (crl2pkcs7 -nocrl): a certs-only SignedData.
        using var dir = new Segel.Testing.TempDirectory();
        string pem = dir.Write("two.pem", one.ExportCertificatePem() + "\n" + two.ExportCertificatePem() + "\n");
        Segel.Testing.Tool.Run("openssl", "crl2pkcs7", "-nocrl", "-certfile", pem, "-outform", "DER", "-out", dir.File("two.p7c")).Check();
        Assert.Equal(one.RawData, Assert.Single(IssuerCertificates.Read(one.RawData)).RawData);
        Assert.Equal(2, IssuerCertificates.Read(File.ReadAllBytes(dir.File("two.p7c"))).Count);
        Assert.Empty(IssuerCertificates.Read("<html>not found</html>"u8.ToArray()));
    }

    private static CertificateRequest Authority(string name, ECDsa key)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
