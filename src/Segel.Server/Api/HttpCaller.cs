using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Server.Security;
using Segel.Texts;

namespace Segel.Server.Api;

/// <summary>The caller of an API endpoint as the core wants it: a principal, and where the request came from for the audit record.</summary>
public static class HttpCaller
{
    public static Principal Principal(HttpContext context) =>
        SegelIdentity.Of(context?.User) ?? throw new InvalidOperationException("No principal: the endpoint does not require authorization.");

    public static string? Origin(HttpContext context) => context?.Connection.RemoteIpAddress?.ToString();

    public static Actor Actor(HttpContext context) => Principal(context).ToActor(Origin(context));

    /// <summary>Reads a raw body up to <paramref name="max"/> bytes; more is a clear 413, not a truncated file.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpContext context, long max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > max)
        {
            throw new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge);
        }
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static byte[] FromBase64(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        try
        {
            return Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw SegelException.Invalid(field, Localized.Of("Error.FieldNotBase64", field));
        }
    }
}

/// <summary>A larger body limit for one endpoint (uploads); everything else keeps the server's 1 MiB.</summary>
public sealed class BodyLimit(long bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => bytes;

    /// <summary>Applies an endpoint's <see cref="IRequestSizeLimitMetadata"/> before its body is read.</summary>
    public static IApplicationBuilder UseBodyLimits(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } limit &&
            context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit.MaxRequestBodySize;
        }
        await next(context);
    });
}
