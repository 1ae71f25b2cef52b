using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core.Ca;
using Segel.Pki.Ocsp;
using Segel.Server.Status;

namespace Segel.Server.Ocsp;

/// <summary>
/// RFC 6960 Appendix A / RFC 5019 transport: POST with the DER request as body, or GET with it base64- and
/// URL-encoded in the path. Every answer, including refusals, is an OCSPResponse with HTTP 200, as OCSP
/// clients expect; HTTP errors are reserved for a wrong method or path.
/// </summary>
public static class OcspEndpoints
{
    private const string ResponseType = "application/ocsp-response";

    public static IEndpointRouteBuilder MapOcsp(this IEndpointRouteBuilder app)
    {
        app.MapPost("/ocsp", Post).ExcludeFromDescription();
        app.MapGet("/ocsp/{**request}", Get).ExcludeFromDescription();
        return app;
    }

    private static async Task Post(HttpContext context, OcspService ocsp, IStatusChangeProbe probe)
    {
        byte[]? body = await ReadBodyAsync(context.Request, OcspLimits.MaxRequestBytes, context.RequestAborted);
        OcspAnswer answer = body is null ? OcspAnswer.MalformedRequest : await AnswerAsync(ocsp, probe, body, context.RequestAborted);
        await WriteAsync(context.Response, answer, cacheHeaders: false);
    }

    private static async Task Get(HttpContext context, OcspService ocsp, IStatusChangeProbe probe)
    {
        // The route value is already percent-decoded except for %2F; take the raw path so '/' in base64 survives.
        string raw = context.Request.Path.Value ?? "";
        string encoded = Uri.UnescapeDataString(raw[(raw.IndexOf("/ocsp/", StringComparison.Ordinal) + 6)..]);
        byte[]? request = encoded.Length > OcspLimits.MaxRequestBytes * 2 ? null : TryBase64(encoded);
        OcspAnswer answer = request is null ? OcspAnswer.MalformedRequest : await AnswerAsync(ocsp, probe, request, context.RequestAborted);
        await WriteAsync(context.Response, answer, cacheHeaders: true);
    }

    private static ValueTask<OcspAnswer> AnswerAsync(OcspService ocsp, IStatusChangeProbe probe, byte[] request, CancellationToken cancellationToken)
    {
        if (probe.Changed())
        {
            ocsp.Invalidate();
        }
        return ocsp.RespondAsync(request, cancellationToken);
    }

    private static async Task WriteAsync(HttpResponse response, OcspAnswer answer, bool cacheHeaders)
    {
        response.ContentType = ResponseType;
        response.ContentLength = answer.Body.Length;
        if (cacheHeaders && answer.Cacheable)
        {
            // RFC 5019 §6.2: let HTTP caches keep a nonce-free answer, but never past its nextUpdate.
            DateTimeOffset now = DateTimeOffset.UtcNow;
            long maxAge = Math.Max(0, (long)(answer.NextUpdate!.Value - now).TotalSeconds);
            response.Headers.CacheControl = $"max-age={maxAge.ToString(CultureInfo.InvariantCulture)}, public, no-transform, must-revalidate";
            response.Headers.LastModified = answer.ThisUpdate!.Value.ToString("R", CultureInfo.InvariantCulture);
            response.Headers.Expires = answer.NextUpdate.Value.ToString("R", CultureInfo.InvariantCulture);
            response.Headers.ETag = $"\"{answer.ETag}\"";
        }
        else
        {
            response.Headers.CacheControl = "no-cache, no-store";
        }
        await response.Body.WriteAsync(answer.Body);
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is larger or absent.</summary>
    internal static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is long length)
        {
            if (length <= 0 || length > limit)
            {
                return null;
            }
            byte[] exact = new byte[length];
            try
            {
                await request.Body.ReadExactlyAsync(exact, cancellationToken);
            }
            catch (EndOfStreamException)
            {
                return null;
            }
            return exact;
        }
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.Length == 0 ? null : buffer.ToArray();
    }

    private static byte[]? TryBase64(string text)
    {
        byte[] buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out int written) ? buffer[..written] : null;
    }
}

internal static class OcspLimits
{
    public const int MaxRequestBytes = 16 * 1024;
}
