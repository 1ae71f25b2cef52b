using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Segel.Server.Api;

/// <summary>
/// Guards the certificate-management API with one operator token (bearer) until the registration
/// authority's roles and scoped API tokens replace it. Compared in constant time.
/// </summary>
public sealed class AdminTokenFilter(byte[] tokenHash) : IEndpointFilter
{
    public static AdminTokenFilter For(string token) => new(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        string header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ||
            !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[prefix.Length..].Trim())), tokenHash))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"segel\"";
            return Results.Problem(statusCode: 401, title: "Unauthorized", detail: "Send the operator token as 'Authorization: Bearer TOKEN'.");
        }
        return await next(context);
    }
}
