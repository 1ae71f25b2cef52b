namespace Segel.Pki.Validation;

/// <summary>
/// Reads a response body from a party Segel does not control (a responder, a CRL or caIssuers URL, a TSA) with a
/// limit checked before the bytes are kept: the declared length first, then every chunk as it arrives.
/// </summary>
public static class BoundedHttp
{
    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Content.Headers.ContentLength > limit)
        {
            return null;
        }
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16384];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
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
