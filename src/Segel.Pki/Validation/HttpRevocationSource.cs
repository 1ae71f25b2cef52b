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
    private const int MaxIssuerBytes = 256 * 1024;
    private readonly HttpClient _client = client ?? new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

    // One verification asks for the same CRL for each signature it holds; the answer is kept for the source's life.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]?> _crls = new(StringComparer.Ordinal);

    public async ValueTask<byte[]?> FetchOcspAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken = default)
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
            if (await SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = content }, MaxOcspBytes, cancellationToken) is { } answer)
            {
                return answer;
            }
        }
        return null;
    }

    public async ValueTask<byte[]?> FetchCrlAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (string url in CrlUrls(certificate))
        {
            if (!_crls.TryGetValue(url, out byte[]? crl))
            {
                crl = await SendAsync(new HttpRequestMessage(HttpMethod.Get, url), MaxCrlBytes, cancellationToken);
                _crls[url] = crl;
            }
            if (crl is not null)
            {
                return crl;
            }
        }
        return null;
    }

    public async ValueTask<IReadOnlyList<X509Certificate2>> FetchIssuersAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var access = certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>().FirstOrDefault();
        List<X509Certificate2> found = [];
        foreach (string url in access?.EnumerateCAIssuersUris() ?? [])
        {
            if (IsHttp(url) && await SendAsync(new HttpRequestMessage(HttpMethod.Get, url), MaxIssuerBytes, cancellationToken) is { } body)
            {
                found.AddRange(IssuerCertificates.Read(body));
            }
        }
        return found;
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

    private async Task<byte[]?> SendAsync(HttpRequestMessage request, int limit, CancellationToken cancellationToken)
    {
        try
        {
            using (request)
            using (HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken))
            {
                return response.IsSuccessStatusCode ? await BoundedHttp.ReadAsync(response, limit, cancellationToken) : null;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
