using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;

namespace Segel.Pki.Validation;

/// <summary>
/// Fetches OCSP responses from the responder named in the certificate's Authority Information Access and CRLs
/// from its CRL Distribution Points, over HTTP, with a timeout and size limits. A failure is an absent answer,
/// never an exception: the verifier then reports the revocation status as unknown.
/// </summary>
public sealed class HttpRevocationSource(HttpClient? client = null) : IRevocationSource
{
    private const int MaxOcspBytes = 64 * 1024;
    private const int MaxCrlBytes = 16 * 1024 * 1024;
    private readonly HttpClient _client = client ?? new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Dictionary<string, byte[]?> _crls = [];

    public byte[]? FetchOcsp(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var access = certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>().FirstOrDefault();
        foreach (string url in access?.EnumerateOcspUris() ?? [])
        {
            if (!IsHttp(url))
            {
                continue;
            }
            using var content = new ByteArrayContent(OcspRequests.Create(certificate, issuer));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
            if (Send(new HttpRequestMessage(HttpMethod.Post, url) { Content = content }, MaxOcspBytes) is { } answer)
            {
                return answer;
            }
        }
        return null;
    }

    public byte[]? FetchCrl(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (string url in CrlUrls(certificate))
        {
            if (!_crls.TryGetValue(url, out byte[]? crl))
            {
                crl = Send(new HttpRequestMessage(HttpMethod.Get, url), MaxCrlBytes);
                _crls[url] = crl;
            }
            if (crl is not null)
            {
                return crl;
            }
        }
        return null;
    }

    internal static IEnumerable<string> CrlUrls(X509Certificate2 certificate)
    {
        System.Security.Cryptography.X509Certificates.X509Extension? extension = certificate.Extensions["2.5.29.31"];
        if (extension is null)
        {
            yield break;
        }
        CrlDistPoint points = CrlDistPoint.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(extension.RawData));
        foreach (DistributionPoint point in points.GetDistributionPoints())
        {
            if (point.DistributionPointName?.Name is GeneralNames names)
            {
                foreach (GeneralName name in names.GetNames())
                {
                    if (name.TagNo == GeneralName.UniformResourceIdentifier && name.Name.ToString() is { } url && IsHttp(url))
                    {
                        yield return url;
                    }
                }
            }
        }
    }

    private static bool IsHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private byte[]? Send(HttpRequestMessage request, int limit)
    {
        try
        {
            using (request)
            using (HttpResponseMessage response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead))
            {
                if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > limit)
                {
                    return null;
                }
                using Stream body = response.Content.ReadAsStream();
                using var buffer = new MemoryStream();
                byte[] chunk = new byte[16384];
                int read;
                while ((read = body.Read(chunk)) > 0)
                {
                    if (buffer.Length + read > limit)
                    {
                        return null;
                    }
                    buffer.Write(chunk, 0, read);
                }
                return buffer.ToArray();
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or InvalidOperationException)
        {
            return null;
        }
    }
}
