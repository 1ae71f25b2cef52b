namespace Segel.Pdf.Signing;

/// <summary>Where signature time-stamps come from: Segel's own TSA in-process, or any RFC 3161 TSA over HTTP.</summary>
public interface ITimeStampClient
{
    /// <summary>Sends a DER TimeStampReq and returns the DER TimeStampResp.</summary>
    ValueTask<byte[]> StampAsync(byte[] request, CancellationToken cancellationToken = default);
}

/// <summary>An RFC 3161 TSA over HTTP (§3.4): POST application/timestamp-query.</summary>
public sealed class HttpTimeStampClient(Uri url, HttpClient? client = null) : ITimeStampClient
{
    // A time-stamp response is a few kilobytes (a token and the TSA's chain); more is not a TSA talking.
    private const int MaxResponseBytes = 256 * 1024;
    private readonly HttpClient _client = client ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask<byte[]> StampAsync(byte[] request, CancellationToken cancellationToken = default)
    {
        using var content = new ByteArrayContent(request);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/timestamp-query");
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        using HttpResponseMessage response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The time-stamping authority at {url} answered HTTP {(int)response.StatusCode}.");
        }
        return await Segel.Pki.Validation.BoundedHttp.ReadAsync(response, MaxResponseBytes, cancellationToken)
            ?? throw new InvalidOperationException($"The time-stamping authority at {url} answered with more than {MaxResponseBytes / 1024} KiB.");
    }
}

/// <summary>A TSA called in-process (Segel's own, when the signer runs inside the server).</summary>
public sealed class DelegateTimeStampClient(Func<byte[], CancellationToken, ValueTask<byte[]>> stamp) : ITimeStampClient
{
    public ValueTask<byte[]> StampAsync(byte[] request, CancellationToken cancellationToken = default) => stamp(request, cancellationToken);
}

/// <summary>Asks a TSA for a token over a SHA-256 digest and checks the answer belongs to the question.</summary>
public static class TimeStampRequests
{
    public static async Task<Org.BouncyCastle.Tsp.TimeStampToken> StampAsync(ITimeStampClient timeStamps, byte[] sha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeStamps);
        var requests = new Org.BouncyCastle.Tsp.TimeStampRequestGenerator();
        requests.SetCertReq(true);
        Org.BouncyCastle.Tsp.TimeStampRequest request = requests.Generate(Org.BouncyCastle.Tsp.TspAlgorithms.Sha256, sha256,
            new Org.BouncyCastle.Math.BigInteger(1, System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));
        Org.BouncyCastle.Tsp.TimeStampResponse response;
        try
        {
            response = new Org.BouncyCastle.Tsp.TimeStampResponse(await timeStamps.StampAsync(request.GetEncoded(), cancellationToken));
            response.Validate(request);
        }
        catch (Exception e) when (e is Org.BouncyCastle.Tsp.TspException or IOException or ArgumentException or InvalidOperationException or HttpRequestException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new InvalidOperationException($"The time-stamping authority gave no usable time-stamp: {e.Message}", e);
        }
        return response.TimeStampToken
            ?? throw new InvalidOperationException($"The time-stamping authority refused: {response.GetStatusString() ?? response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
    }
}
