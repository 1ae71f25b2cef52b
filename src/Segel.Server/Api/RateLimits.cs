using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
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
            options.AddPolicy(Signing, context => RateLimitPartition.GetFixedWindowLimiter(
                Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString()))),
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

    private static RateLimitPartition<string> PerAddress(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "?",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
