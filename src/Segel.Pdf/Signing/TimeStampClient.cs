namespace Segel.Pdf.Signing;

/// <summary>Where signature time-stamps come from: Segel's own TSA in-process, or any RFC 3161 TSA over HTTP.</summary>
public interface ITimeStampClient
{
    /// <summary>Sends a DER TimeStampReq and returns the DER TimeStampResp.</summary>
    byte[] Stamp(byte[] request);
}

/// <summary>An RFC 3161 TSA over HTTP (§3.4): POST application/timestamp-query.</summary>
public sealed class HttpTimeStampClient(Uri url, HttpClient? client = null) : ITimeStampClient
{
    private readonly HttpClient _client = client ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

    public byte[] Stamp(byte[] request)
    {
        using var content = new ByteArrayContent(request);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/timestamp-query");
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        using HttpResponseMessage response = _client.Send(message);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The time-stamping authority at {url} answered HTTP {(int)response.StatusCode}.");
        }
        using Stream body = response.Content.ReadAsStream();
        using var buffer = new MemoryStream();
        body.CopyTo(buffer);
        return buffer.ToArray();
    }
}

/// <summary>A TSA called in-process (Segel's own, when the signer runs inside the server).</summary>
public sealed class DelegateTimeStampClient(Func<byte[], byte[]> stamp) : ITimeStampClient
{
    public byte[] Stamp(byte[] request) => stamp(request);
}

/// <summary>Asks a TSA for a token over a SHA-256 digest and checks the answer belongs to the question.</summary>
public static class TimeStampRequests
{
    public static Org.BouncyCastle.Tsp.TimeStampToken Stamp(ITimeStampClient timeStamps, byte[] sha256)
    {
        ArgumentNullException.ThrowIfNull(timeStamps);
        var requests = new Org.BouncyCastle.Tsp.TimeStampRequestGenerator();
        requests.SetCertReq(true);
        Org.BouncyCastle.Tsp.TimeStampRequest request = requests.Generate(Org.BouncyCastle.Tsp.TspAlgorithms.Sha256, sha256,
            new Org.BouncyCastle.Math.BigInteger(1, System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));
        Org.BouncyCastle.Tsp.TimeStampResponse response;
        try
        {
            response = new Org.BouncyCastle.Tsp.TimeStampResponse(timeStamps.Stamp(request.GetEncoded()));
            response.Validate(request);
        }
        catch (Exception e) when (e is Org.BouncyCastle.Tsp.TspException or IOException or ArgumentException or InvalidOperationException or HttpRequestException)
        {
            throw new InvalidOperationException($"The time-stamping authority gave no usable time-stamp: {e.Message}", e);
        }
        return response.TimeStampToken
            ?? throw new InvalidOperationException($"The time-stamping authority refused: {response.GetStatusString() ?? response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
    }
}
