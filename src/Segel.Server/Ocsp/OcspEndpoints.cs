using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Segel.Core.Ca;
using Segel.Pki.Ocsp;
using Segel.Server.Status;

namespace Segel.Server.Ocsp;

/// <summary>
/// RFC 6960 Appendix A / RFC 5019 transport: POST with the DER request as body, or GET with it base64- and
/// URL-encoded in the path. Every answer, including refusals, is an OCSPResponse with HTTP 200, as OCSP
/// clients expect; HTTP errors are reserved for a wrong method or path.
/// </summary>
public static partial class OcspEndpoints
{
    private const string ResponseType = "application/ocsp-response";

    /// <summary>
    /// The routes stay for what the fast lane (<see cref="UseOcspFastLane"/>) passes on: another method on an OCSP path
    /// gets routing's 405, and the endpoints stay listed where routes are.
    /// </summary>
    public static IEndpointRouteBuilder MapOcsp(this IEndpointRouteBuilder app)
    {
        app.MapPost("/ocsp", Post).ExcludeFromDescription();
        app.MapGet("/ocsp/{**request}", Get).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Answers OCSP's POST and GET first in the pipeline (issue 22.1), as a dedicated responder would: relying parties'
    /// requests carry no cookie, no session and no HTML, and any client can make the responder sign afresh, so the
    /// per-request work in front of it — request log scope, security headers, status pages, portal culture, routing,
    /// per-route HTTP metrics, rate limiting, authentication — is work taken from signatures. Nothing here needs it:
    /// every answer is an OCSPResponse with its own error statuses, counted by the responder's own metrics
    /// (<c>segel_ocsp_responses_total</c>, <c>segel_ocsp_request_duration_seconds</c>), and a
    /// failure becomes tryLater (logged) rather than an HTML error page. Other methods fall through to the routes
    /// (405).
    /// </summary>
    public static WebApplication UseOcspFastLane(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        OcspService ocsp = app.Services.GetRequiredService<OcspService>();
        IStatusChangeProbe probe = app.Services.GetRequiredService<IStatusChangeProbe>();
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OcspEndpoints));
        app.Use((context, next) =>
        {
            HttpRequest request = context.Request;
            if (HttpMethods.IsPost(request.Method) && request.Path.Equals("/ocsp", StringComparison.Ordinal))
            {
                return AnsweredAsync(context, () => Post(context, ocsp, probe), logger);
            }
            if (HttpMethods.IsGet(request.Method) && request.Path.StartsWithSegments("/ocsp", StringComparison.Ordinal, out PathString rest) && rest.HasValue)
            {
                return AnsweredAsync(context, () => Get(context, ocsp, probe), logger);
            }
            return next(context);
        });
        return app;
    }

    private static async Task AnsweredAsync(HttpContext context, Func<Task> answer, ILogger logger)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await answer();
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // The database or the key store failed: the client is told to ask again (RFC 6960 tryLater), the operator why.
            LogFailed(logger, e);
            context.Response.Clear();
            await WriteAsync(context.Response, OcspAnswer.TryLater, cacheHeaders: false);
        }
        finally
        {
            Segel.Pki.PkiMetrics.OcspRequestSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "An OCSP request could not be answered; the client was told to try later")]
    private static partial void LogFailed(ILogger logger, Exception exception);

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
