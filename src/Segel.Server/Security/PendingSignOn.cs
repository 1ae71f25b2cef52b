using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Segel.Core.Accounts;

namespace Segel.Server.Security;

/// <summary>
/// Between the provider's answer and an officer's authenticator code: who the provider vouched for, kept in the browser
/// in a cookie that ASP.NET Core's data protection encrypts and authenticates, for five minutes. It proves nothing alone
/// — the code page hands it to the core with the code, and the core checks both again — but it cannot be forged or
/// stretched, so a browser cannot name someone else. It is gone once the code is accepted.
/// </summary>
internal static class PendingSignOn
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const string Cookie = "segel-sign-on";
    private const string Purpose = "Segel.SignOn.Pending.v1";

    private sealed record Pending(ProviderIdentity Identity, string Back);

    public static void Keep(HttpContext http, ProviderIdentity identity, string back)
    {
        string value = Protector(http).Protect(JsonSerializer.Serialize(new Pending(identity, back)), Lifetime);
        http.Response.Cookies.Append(Cookie, value, Options(http));
    }

    /// <summary>The identity and where to go afterwards, or null when there is none, it expired, or it was tampered with.</summary>
    public static (ProviderIdentity Identity, string Back)? Read(HttpContext http)
    {
        if (http.Request.Cookies[Cookie] is not { Length: > 0 and < 4000 } value)
        {
            return null;
        }
        try
        {
            Pending? pending = JsonSerializer.Deserialize<Pending>(Protector(http).Unprotect(value));
            return pending is { Identity: not null, Back: not null } ? (pending.Identity, pending.Back) : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null;
        }
    }

    public static void Clear(HttpContext http) => http.Response.Cookies.Delete(Cookie, Options(http));

    private static ITimeLimitedDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).ToTimeLimitedDataProtector();

    private static CookieOptions Options(HttpContext http) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        // Lax: it is set on the way back from the provider's site and read on the redirect that follows.
        SameSite = SameSiteMode.Lax,
        Path = "/masuk",
        IsEssential = true,
        MaxAge = Lifetime,
    };
}
