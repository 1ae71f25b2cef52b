using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Segel.Server.Api;

/// <summary>
/// Per-address limits on the doors anyone can knock on: sign-in and the holder's confirmation code. Accounts
/// and codes have their own lockouts; these keep one address from trying many accounts or codes.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Anonymous = "anonymous";
    /// <summary>Signing and verification calls, per calling application (its credentials), whatever address it calls from.</summary>
    public const string Signing = "signing";

    public static IServiceCollection AddSegelRateLimits(this IServiceCollection services, int perMinute, int signingPerMinute)
    {
        return services.AddRateLimiter(options =>
        {
            options.AddPolicy(SignIn, context => PerAddress(context, perMinute));
            options.AddPolicy(Anonymous, context => PerAddress(context, perMinute * 2));
            options.AddPolicy(Signing, context => RateLimitPartition.GetFixedWindowLimiter(CredentialKey(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = signingPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                HttpContext http = rejected.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = "60";
                await Problems.Result(http, StatusCodes.Status429TooManyRequests, "toomany").ExecuteAsync(http);
            };
        });
    }

    /// <summary>
    /// The application's secret, hashed: the token of a Bearer header, the password (the token) of a Basic one. Not the
    /// header as sent — a Basic user name is free text the caller may change on every call to get a fresh allowance.
    /// </summary>
    internal static string CredentialKey(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString().Trim();
        string secret = header;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            secret = header[7..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                string pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                int colon = pair.IndexOf(':', StringComparison.Ordinal);
                secret = colon >= 0 ? pair[(colon + 1)..] : pair;
            }
            catch (FormatException)
            {
                // Not base64: refused by authentication anyway; counted under the header as sent.
            }
        }
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));
    }

    private static RateLimitPartition<string> PerAddress(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "?",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
