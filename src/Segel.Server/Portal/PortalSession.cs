using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Segel.Core;
using Segel.Core.Accounts;

namespace Segel.Server.Portal;

/// <summary>
/// The portal's sign-in: the same core session as <c>POST /api/v1/sessions</c>, carried in an HttpOnly,
/// SameSite=Lax cookie (Secure and <c>__Host-</c> prefixed over HTTPS) that ends with the browser. The core
/// ends a session after 30 idle minutes or 8 hours in all; a page then asks for a new sign-in.
/// </summary>
public static class PortalSession
{
    private const string PlainCookie = "segel-session";
    private const string HostCookie = "__Host-segel-session";
    private const string ItemKey = "segel.portal.principal";

    /// <summary>The signed-in person, or null (no cookie, or the session ended).</summary>
    public static async Task<Principal?> PrincipalAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items.TryGetValue(ItemKey, out object? known))
        {
            return known as Principal;
        }
        string? token = Token(http);
        Principal? principal = token is null ? null : await http.RequestServices.GetRequiredService<Sessions>().AuthenticateAsync(token, http.RequestAborted);
        http.Items[ItemKey] = principal;
        return principal;
    }

    public static bool HadSession(HttpContext http) => Token(http) is not null;

    public static void Start(HttpContext http, StartedSession session)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(session);
        http.Response.Cookies.Append(CookieName(http), session.Token, Options(http));
        http.Items[ItemKey] = session.Principal;
    }

    public static async Task EndAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (Token(http) is string token)
        {
            await http.RequestServices.GetRequiredService<Sessions>().EndAsync(token, http.RequestAborted);
        }
        http.Response.Cookies.Delete(CookieName(http), Options(http));
        http.Items[ItemKey] = null;
    }

    private static string? Token(HttpContext http) =>
        http.Request.Cookies[CookieName(http)] is { Length: > 0 and < 100 } token && token.StartsWith(Sessions.Prefix, StringComparison.Ordinal) ? token : null;

    private static string CookieName(HttpContext http) => http.Request.IsHttps ? HostCookie : PlainCookie;

    private static CookieOptions Options(HttpContext http) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        // Lax, not Strict: a link in a notice e-mail must open the portal signed in; every POST carries an antiforgery token.
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
    };
}
